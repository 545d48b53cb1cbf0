/**
 * Refreshes through your own backend with fetch. In the default cookie mode the refresh token
 * never reaches JavaScript: the backend keeps it in an HttpOnly cookie and rotates it there, and
 * the client holds `cookieRefreshToken`, a placeholder, because the core needs a string.
 *
 * The endpoint contract (docs/examples/custom-backend.md):
 * - request: `POST url`, JSON `{ refreshToken?, deviceKey?, username?, clientMetadata? }`
 *   (`refreshToken` and `username` only in `body` mode), with the browser's cookies;
 * - success: 200 with `{ accessToken, expiresIn, idToken?, refreshToken? }` or Cognito's
 *   `{ AuthenticationResult }`;
 * - failure: 401 ends the session; 429, 5xx and network errors retry; a body
 *   `{ "error": "<code>" }` with a Cognito or OAuth error name (`NotAuthorizedException`,
 *   `invalid_grant`, `RefreshTokenReuseException`…) is classified like Cognito's own answer.
 */
import { AuthError, type AuthErrorCode, cognitoErrorCodes, redact } from '../errors'
import type { AuthenticationResult } from '../tokens'
import { warnOnce } from '../warn'
import { clockOf, type HttpOptions, type HttpReply, parseRetryAfter, send } from './http'
import { type RefreshResult, toAuthenticationResult } from './custom'
import type { Transport, TransportCallOptions } from './types'

/** The refresh token the client holds in cookie mode. It is never sent anywhere. */
export const cookieRefreshToken = 'httponly-cookie'

export interface BackendTransportOptions extends HttpOptions {
  /** Your refresh endpoint, e.g. `/api/auth/refresh`. */
  url: string
  /** Your sign-out endpoint, called on `signOut()` to clear the cookie and revoke. @default none */
  revokeUrl?: string
  /** fetch's `credentials`. @default 'include' (send the cookie, also cross-origin) */
  credentials?: RequestCredentials
  /**
   * `cookie`: the refresh token lives in an HttpOnly cookie and is never sent or stored by us.
   * `body`: it is sent in the JSON body and a rotated one is taken from the reply.
   * @default 'cookie'
   */
  refreshTokenIn?: 'cookie' | 'body'
  /** Extra request headers, e.g. a CSRF token; a function is called for every request. */
  headers?: Record<string, string> | (() => Record<string, string>)
}

const knownCodes: ReadonlySet<string> = new Set<string>([
  ...cognitoErrorCodes,
  'invalid_grant',
  'invalid_client',
  'invalid_request',
  'unauthorized_client',
  'unsupported_grant_type',
])

/**
 * The AuthenticationResult for `client.setSession()` from your backend's sign-in reply; in cookie
 * mode (no `refreshToken` in the reply) it carries the placeholder.
 */
export function backendSession(result: RefreshResult): AuthenticationResult {
  return { RefreshToken: cookieRefreshToken, ...toAuthenticationResult(result) }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export function decodeBackendError(reply: HttpReply, now: number, secrets: readonly string[]) {
  const body = parseJson(reply.text) as Record<string, unknown> | undefined
  const raw = body?.error ?? body?.code ?? body?.__type
  const code = typeof raw === 'string' ? raw : undefined
  const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), now)
  const common = {
    status: reply.status,
    ...(reply.requestId !== undefined && { requestId: reply.requestId }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  }
  const message = redact(`${code ?? `HTTP ${reply.status}`} from the refresh endpoint.`, secrets)
  if (code !== undefined && knownCodes.has(code)) {
    return new AuthError(code as AuthErrorCode, message, common)
  }
  // No cookie, or the backend's session is gone: the definitive answer that ends ours.
  if (reply.status === 401) return new AuthError('NotAuthorizedException', message, common)
  if (reply.status === 429) {
    return new AuthError('TooManyRequestsException', message, { ...common, kind: 'retryable' })
  }
  const retryable = reply.status >= 500 || reply.status === 408
  return new AuthError('HttpError', message, { ...common, kind: retryable ? 'retryable' : 'fatal' })
}

function resultOf(json: unknown): AuthenticationResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AuthError('InvalidResponse', 'The refresh endpoint did not return a JSON object.')
  }
  const cognito = (json as { AuthenticationResult?: unknown }).AuthenticationResult
  if (typeof cognito === 'object' && cognito !== null) return { ...cognito } as AuthenticationResult
  return toAuthenticationResult(json as RefreshResult)
}

export function backendTransport(options: BackendTransportOptions): Transport {
  const cookieMode = (options.refreshTokenIn ?? 'cookie') === 'cookie'

  async function post(
    url: string,
    body: Record<string, unknown>,
    { signal, clock }: TransportCallOptions,
    token: string,
  ) {
    const extra = typeof options.headers === 'function' ? options.headers() : options.headers
    const secrets = cookieMode ? [] : [token]
    const reply = await send({
      ...options,
      url,
      init: {
        method: 'POST',
        headers: { ...extra, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: options.credentials ?? 'include',
      },
      signal,
      clock,
      secrets,
    })
    if (reply.status < 200 || reply.status >= 300) {
      throw decodeBackendError(reply, clockOf({ clock }).now(), secrets)
    }
    return reply
  }

  const transport: Transport = {
    name: cookieMode ? 'backend (cookie)' : 'backend',
    async refresh(request, call) {
      const body: Record<string, unknown> = {}
      if (!cookieMode) body.refreshToken = request.refreshToken
      if (request.deviceKey !== undefined) body.deviceKey = request.deviceKey
      if (!cookieMode && request.username !== undefined) body.username = request.username
      if (request.clientMetadata !== undefined) body.clientMetadata = request.clientMetadata
      const reply = await post(options.url, body, call, request.refreshToken)
      const result = resultOf(parseJson(reply.text))
      if (cookieMode && result.RefreshToken !== undefined) {
        // The point of cookie mode is that no script can read the refresh token; do not store it.
        delete result.RefreshToken
        warnOnce(
          'backend-refresh-token',
          'The refresh endpoint returned a refresh token in cookie mode; it was dropped. ' +
            'Keep it in the HttpOnly cookie only.',
        )
      }
      return result
    },
  }
  const revokeUrl = options.revokeUrl
  if (revokeUrl !== undefined) {
    transport.revoke = async ({ refreshToken }, call) => {
      await post(revokeUrl, cookieMode ? {} : { refreshToken }, call, refreshToken)
    }
  }
  return transport
}
