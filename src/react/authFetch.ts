/**
 * fetch with the session's access token. Framework-free (no React import): `useAuthFetch()` wraps
 * it for components, and the query entry uses it for query functions.
 */
import type { AuthClient } from '../core/authClient'
import { AuthError } from '../core/errors'
import { userOf } from '../core/tokens'

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
   * so a URL taken from a response or from user input cannot carry the token away.
   * @default any origin
   */
  allowedOrigins?: readonly string[]
}

/** Whether the request can be sent a second time with the same body. */
function replayable(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  if (init?.body !== undefined && init.body !== null) {
    // A stream is read once by the first send; strings, blobs, buffers, forms are re-serialised.
    return !(typeof ReadableStream !== 'undefined' && init.body instanceof ReadableStream)
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
 * `Authorization: Bearer …`.
 *
 * - Waits for a valid token (`client.getAccessToken()`, which refreshes first when the token
 *   lapses within `minValiditySeconds`); the caller's `AbortSignal` cancels the wait and the request.
 * - On a 401 it retries once: with the current token if it changed while the request was out,
 *   otherwise after one forced refresh that concurrent 401s share (the client's single flight).
 *   A second 401 is returned as is: no loop.
 * - A body that cannot be replayed (a `ReadableStream` in `init.body`, or a `Request` whose body
 *   was already read) is not retried: the 401 is returned.
 * - Without a session (never signed in, or signed out, here or in another tab) it rejects with an
 *   `AuthError` (`NoSession` or `SignedOut`) and sends nothing. If the forced refresh ends the
 *   session (e.g. `NotAuthorizedException`), it rejects with that error; if the refresh fails for a
 *   retryable reason (offline, 5xx), the 401 is returned.
 */
export function createAuthFetch(client: AuthClient, options: AuthFetchOptions = {}): AuthFetch {
  const allowed = options.allowedOrigins?.map((origin) => {
    try {
      return new URL(origin).origin
    } catch {
      throw new AuthError('ConfigurationError', `allowedOrigins: "${origin}" is not an origin.`)
    }
  })
  const checkOrigin = (input: RequestInfo | URL) => {
    if (allowed === undefined) return
    const here = globalThis.location?.origin
    const url = input instanceof Request ? input.url : String(input)
    let origin: string | undefined
    try {
      origin = new URL(url, here).origin
    } catch {
      // Not a URL we can place: refused below (never sent with the token on a guess).
    }
    if (origin !== undefined && (origin === here || allowed.includes(origin))) return
    throw new AuthError(
      'ConfigurationError',
      `${origin ?? 'This URL'} is not in allowedOrigins; the request was not sent.`,
    )
  }
  const send = (input: RequestInfo | URL, init: RequestInit | undefined, token: string) => {
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    )
    headers.set('Authorization', `Bearer ${token}`)
    const doFetch = options.fetch ?? globalThis.fetch
    return doFetch(input, { ...init, headers })
  }

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
    checkOrigin(input)
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    const canRetry = replayable(input, init)
    const token = await getToken(signal)
    // A Request's body is consumed by the first send: keep a copy for the retry.
    const spare =
      canRetry && input instanceof Request && input.body !== null ? input.clone() : undefined
    const response = await send(input, init, token)
    if (response.status !== 401 || !canRetry) return response

    let retryToken: string
    try {
      // A forced refresh only for the token the server refused: if it changed while the request
      // was out (or the session ended), the retry takes the current state as it is.
      if (client.getSnapshot().tokens?.accessToken === token) {
        await untilAborted(client.refresh({ force: true }), signal)
      }
      retryToken = await getToken(signal)
    } catch (error) {
      if (error instanceof AuthError && (error.kind === 'retryable' || error.kind === 'fatal')) {
        return response // the server's 401 is the best answer we have
      }
      throw error
    }
    // The first reply is dropped: release its connection.
    void response.body?.cancel().catch(() => undefined)
    return send(spare ?? input, init, retryToken)
  }
}
