/**
 * One send of the auth fetch, redirects included. The platform's redirect handling is not trusted
 * with the token (older browsers and some fetch implementations keep `Authorization` across
 * origins), so requests go out with `redirect: 'manual'` and the redirects are followed here, hop
 * by hop, with the Fetch standard's method and body rules.
 */
import { AuthError } from '../errors'
import { describeOrigin, type OriginPolicy } from './authFetchOrigins'

/** The Fetch standard's limit. */
export const maxRedirects = 20

const redirectStatuses = new Set([301, 302, 303, 307, 308])
/** Dropped with the body when a redirect turns the request into a GET. */
const bodyHeaders = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
]

export interface Attempt {
  fetch: typeof fetch
  policy: OriginPolicy
  /** The checked, absolute URL. */
  url: URL
  /** The Request to send first, when the caller passed one (a fresh copy for a retry). */
  request: Request | undefined
  /** An unsent copy of the caller's Request, to replay its body on a 307/308. */
  template: Request | undefined
  init: RequestInit | undefined
  /** The caller's headers. */
  headers: Headers
  token: string
}

export interface Outcome {
  response: Response
  /** Whether the request this response answers carried the token (a 401 is about it only then). */
  authorized: boolean
}

/** Fields of a Request that a follow-up hop keeps (the rest is rebuilt from the redirect). */
function requestFields(request: Request | undefined): RequestInit {
  if (request === undefined) return {}
  const { credentials, mode, cache, referrerPolicy, keepalive, signal } = request
  return { credentials, mode, cache, referrerPolicy, keepalive, signal }
}

/** A body fetch reads once, so it cannot be sent again. */
export const isStream = (body: unknown): boolean =>
  typeof ReadableStream !== 'undefined' && body instanceof ReadableStream

/** Frees the connection of a response nobody will read. */
export function release(response: Response): void {
  void response.body?.cancel().catch(() => undefined)
}

/** The body a hop that keeps the method sends again, or throws when it cannot be sent twice. */
async function replayBody(attempt: Attempt): Promise<BodyInit | null> {
  const body = attempt.init?.body
  if (body !== undefined && body !== null) {
    if (isStream(body)) {
      throw new TypeError('A 307/308 redirect needs the body again, and a stream is read once.')
    }
    return body
  }
  if (body === null || attempt.template?.body == null) return null
  return attempt.template.clone().arrayBuffer()
}

export async function send(attempt: Attempt): Promise<Outcome> {
  const { init, policy, token } = attempt
  const headers = new Headers(attempt.headers)
  // Called as a plain function: a browser's fetch throws "Illegal invocation" on any other `this`.
  const send = attempt.fetch
  const mode =
    init?.redirect ??
    (attempt.request?.redirect !== 'follow' ? attempt.request?.redirect : undefined)
  if (mode !== undefined) {
    // The caller chose: 'manual' and 'error' are returned as the platform gives them; with
    // 'follow' the platform follows (current browsers drop Authorization across origins).
    headers.set('Authorization', `Bearer ${token}`)
    const response = await send(attempt.request ?? attempt.url.href, { ...init, headers })
    let authorized = true
    if (response.redirected) {
      try {
        authorized = policy.allows(new URL(response.url).origin)
      } catch {
        authorized = false
      }
    }
    return { response, authorized }
  }

  let url = attempt.url
  let request = attempt.request
  let method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
  let body: BodyInit | null | undefined = init?.body
  // Once dropped, the token stays dropped: A -> B -> A does not let B pick a URL on A to send it to.
  let authorized = true
  for (let hop = 0; ; hop++) {
    if (authorized) headers.set('Authorization', `Bearer ${token}`)
    else headers.delete('Authorization')
    const response = await send(request ?? url.href, {
      ...requestFields(hop === 0 ? undefined : attempt.request),
      ...init,
      ...(hop > 0 && { method }),
      ...(body !== undefined && { body }),
      headers,
      redirect: 'manual',
    })
    if (response.type === 'opaqueredirect') {
      // A browser: it hides the target, so the token cannot be kept away from it. Not re-sent.
      release(response)
      throw new AuthError(
        'ConfigurationError',
        `${describeOrigin(url)} answered with a redirect the browser does not reveal; it was not followed with the token.` +
          // Advice for the developer; a production bundle keeps the fact and drops these bytes.
          (typeof process === 'object' && process.env.NODE_ENV !== 'production'
            ? " Request the final URL, or pass redirect: 'follow' to let the browser follow it."
            : ''),
      )
    }
    const location = response.headers.get('location')
    if (!redirectStatuses.has(response.status) || location === null) {
      // response.url is already the last hop's; redirected is not, since each hop is its own fetch.
      if (hop > 0) Object.defineProperty(response, 'redirected', { value: true })
      return { response, authorized }
    }
    release(response)
    if (hop >= maxRedirects) throw new TypeError(`More than ${maxRedirects} redirects.`)
    let next: URL
    try {
      next = new URL(location, url)
    } catch {
      throw new TypeError(`${describeOrigin(url)} redirected to an invalid URL.`)
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw new TypeError(`${describeOrigin(url)} redirected to a ${next.protocol} URL.`)
    }
    const status = response.status
    if (
      ((status === 301 || status === 302) && method === 'POST') ||
      (status === 303 && method !== 'GET' && method !== 'HEAD')
    ) {
      method = 'GET'
      body = null
      for (const name of bodyHeaders) headers.delete(name)
    } else if (body !== null) {
      body = await replayBody(attempt)
    }
    if (!policy.allows(next.origin)) authorized = false
    url = next
    request = undefined
  }
}
