/**
 * fetch with the session's access token. Framework-free (no React import): `useAuthFetch()` wraps
 * it for components, and the query entry uses it for query functions.
 */
import type { AuthClient } from '../client/authClient'
import { AuthError } from '../errors'
import { userOf } from '../tokens'
import { originPolicy } from './authFetchOrigins'
import { isStream, release, send } from './authFetchRedirects'

/** fetch's signature. */
export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

export interface AuthFetchOptions {
  /** The fetch to call. @default globalThis.fetch, looked up at call time */
  fetch?: typeof fetch
  /** The least validity the token must have when the request leaves. @default the client's minValiditySeconds (30) */
  minValiditySeconds?: number
  /**
   * Only send requests for this user (a `sub`): when another user is signed in by then, reject
   * with `AuthError('SignedOut')` instead of sending their token. The query entry sets it so a query
   * cached for one user is never filled with another user's data. @default any user
   */
  userId?: string
  /**
   * Origins the token may be sent to, besides the page's own (`['https://api.example.com']`). A
   * request to any other origin rejects with `AuthError('ConfigurationError')` and sends nothing,
   * so a URL taken from a response or from user input cannot carry the token away. Redirects are
   * followed with the token only while they stay on these origins. Outside a page (no `location`)
   * there is no own origin: only absolute URLs on the listed origins are sent.
   * @default [] (the page's own origin only)
   */
  allowedOrigins?: readonly string[]
}

/** Whether the request can be sent a second time with the same body. */
function replayable(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  if (init?.body !== undefined && init.body !== null) {
    // A stream is read once by the first send; strings, blobs, buffers, forms are re-serialised.
    return !isStream(init.body)
  }
  return !(input instanceof Request && input.bodyUsed)
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(abortReason(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/**
 * A function with fetch's signature that sends the session's access token as
 * `Authorization: Bearer …`, to the page's own origin and the `allowedOrigins` only.
 *
 * - Checks the URL first: another origin rejects with `AuthError('ConfigurationError')`, nothing sent.
 * - Waits for a valid token (`client.getAccessToken()`, which refreshes first when the token
 *   lapses within `minValiditySeconds`); the caller's `AbortSignal` cancels the wait and the request.
 * - Follows redirects itself (`redirect: 'manual'` unless the caller sets `redirect`), keeping the
 *   token only while every hop is on an allowed origin. A browser hides the target of a redirect:
 *   there it rejects with `ConfigurationError` rather than re-send the request.
 * - On a 401 it asks the client for a token newer than the refused one
 *   (`refresh({ force: true, rejectedToken })`: at most one forced refresh per token generation,
 *   shared by concurrent callers and tabs) and retries once, only if the token changed. Otherwise
 *   the 401 is returned as is: an API that always says 401 costs one refresh, not one per request.
 * - A body that cannot be replayed (a `ReadableStream` in `init.body`, or a `Request` whose body
 *   was already read) is not retried: the 401 is returned.
 * - Without a session (never signed in, or signed out, here or in another tab) it rejects with an
 *   `AuthError` (`NoSession` or `SignedOut`) and sends nothing. If the forced refresh ends the
 *   session (e.g. `NotAuthorizedException`), it rejects with that error; if the refresh fails for a
 *   retryable reason (offline, 5xx), the 401 is returned.
 */
export function createAuthFetch(client: AuthClient, options: AuthFetchOptions = {}): AuthFetch {
  const policy = originPolicy(options.allowedOrigins)
  const getToken = async (signal: AbortSignal | null | undefined) => {
    const token = await untilAborted(
      client.getAccessToken(
        options.minValiditySeconds === undefined
          ? {}
          : { minValiditySeconds: options.minValiditySeconds },
      ),
      signal,
    )
    const tokens = client.getSnapshot().tokens
    if (
      options.userId !== undefined &&
      (tokens?.accessToken !== token || userOf(tokens) !== options.userId)
    ) {
      throw new AuthError('SignedOut', 'Another user is signed in; the request was not sent.')
    }
    return token
  }

  return async (input, init) => {
    const url = policy.place(input)
    const request = input instanceof Request ? input : undefined
    const signal = init?.signal ?? request?.signal
    const canRetry = replayable(input, init)
    const token = await getToken(signal)
    // A Request's body is consumed by a send: an unsent copy serves the retry and 307/308 replays.
    const template = canRetry && request?.body != null ? request.clone() : request
    const attempt = (from: Request | undefined, bearer: string) =>
      send({
        fetch: options.fetch ?? globalThis.fetch,
        policy,
        url,
        request: from,
        template,
        init,
        headers: new Headers(init?.headers ?? request?.headers),
        token: bearer,
      })
    const first = await attempt(request, token)
    // A 401 from a hop that never saw the token says nothing about the token.
    if (first.response.status !== 401 || !first.authorized || !canRetry) return first.response

    let retryToken: string
    try {
      // Only the refused token is worth a refresh: if it already changed, take the current one.
      if (client.getSnapshot().tokens?.accessToken === token) {
        await untilAborted(client.refresh({ force: true, rejectedToken: token }), signal)
      }
      retryToken = await getToken(signal)
    } catch (error) {
      if (error instanceof AuthError && (error.kind === 'retryable' || error.kind === 'fatal')) {
        return first.response // the server's 401 is the best answer we have
      }
      throw error
    }
    // The same token again would get the same answer.
    if (retryToken === token) return first.response
    // The first reply is dropped: release its connection.
    release(first.response)
    const again = template?.body != null ? template.clone() : template
    return (await attempt(again, retryToken)).response
  }
}
