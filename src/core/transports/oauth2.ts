/**
 * The user-pool domain's OAuth 2.0 token endpoint: `POST /oauth2/token` with
 * `grant_type=refresh_token`, and `POST /oauth2/revoke` on sign-out. Form-encoded requests, OAuth
 * error JSON (`{"error":"invalid_grant"}`) mapped to AuthError codes. Returns a rotated
 * `refresh_token` when the app client rotates. Cannot carry a device key: with remembered devices
 * on, users who signed in through the API must refresh with `cognitoTransport` instead.
 */
import { AuthError, type AuthErrorCode, redact } from '../errors'
import type { AuthenticationResult } from '../tokens'
import { clockOf, type HttpOptions, type HttpReply, parseRetryAfter, send } from './http'
import type { Transport, TransportCallOptions } from './types'
import { secretsFor, warnAboutSecret } from './secrets'

export interface OAuth2TransportOptions extends HttpOptions {
  clientId: string
  /** For confidential clients. Anything shipped to a browser is public; prefer a public client. */
  clientSecret?: string
  /**
   * A custom domain (`auth.example.com`, https implied) or a full base URL (`http://127.0.0.1:9229`
   * for the emulator). Either this or `domainPrefix` with `region`.
   */
  domain?: string
  /** The Cognito domain prefix: `https://<domainPrefix>.auth.<region>.amazoncognito.com`. */
  domainPrefix?: string
  /** The user pool's region, with `domainPrefix`. */
  region?: string
  /**
   * How a confidential client authenticates: `basic` (`Authorization: Basic`, client_secret_basic)
   * or `post` (`client_secret` in the form).
   * @default 'basic'
   */
  clientAuthentication?: 'basic' | 'post'
}

const oauthCodes: ReadonlySet<string> = new Set<AuthErrorCode>([
  'invalid_grant',
  'invalid_client',
  'invalid_request',
  'unauthorized_client',
  'unsupported_grant_type',
])

function configurationError(message: string): AuthError {
  return new AuthError('ConfigurationError', message, { kind: 'fatal' })
}

/** The domain's base URL, without a trailing slash. */
export function oauthBaseUrl(options: OAuth2TransportOptions): string {
  const { domain, domainPrefix, region } = options
  if (domain !== undefined) {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`
    let url: URL
    try {
      url = new URL(withScheme)
    } catch {
      throw configurationError('`domain` is not a host name or URL.')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw configurationError('`domain` must be an https URL.')
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  }
  if (
    domainPrefix === undefined ||
    region === undefined ||
    !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) ||
    !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)
  ) {
    throw configurationError(
      'Pass `domain` (a custom domain or URL), or `domainPrefix` and `region`.',
    )
  }
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com`
}

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for both halves of Basic too. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2)

/** A confidential client's `Authorization: Basic` (client_secret_basic). */
export const basicAuthorization = (clientId: string, clientSecret: string) =>
  `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const value = (body as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** Turns a non-2xx reply of /oauth2/token or /oauth2/revoke into an AuthError. */
export function decodeOAuthError(reply: HttpReply, now: number, secrets: readonly string[]) {
  const body = parseJson(reply.text)
  const code = stringField(body, 'error')
  const description = stringField(body, 'error_description')
  const requestId = reply.requestId ?? reply.headers.get('x-amz-cognito-request-id') ?? undefined
  const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), now)
  const common = {
    status: reply.status,
    ...(requestId !== undefined && { requestId }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  }
  const text = (name: string) =>
    redact(description === undefined ? name : `${name}: ${description}`, secrets)
  if (code !== undefined && oauthCodes.has(code)) {
    // classify(): invalid_grant ends the session; the others are configuration problems (fatal).
    return new AuthError(code as AuthErrorCode, text(code), common)
  }
  if (reply.status === 429 || code === 'too_many_requests' || code === 'slow_down') {
    return new AuthError('TooManyRequestsException', text(code ?? 'HTTP 429'), {
      ...common,
      kind: 'retryable',
    })
  }
  const retryable = reply.status >= 500 || reply.status === 408
  if (code !== undefined) {
    return new AuthError('UnknownServiceError', text(code), {
      ...common,
      serviceCode: code,
      kind: retryable ? 'retryable' : 'fatal',
    })
  }
  const what = body === undefined ? 'a body that is not JSON' : 'no OAuth error code'
  return new AuthError('HttpError', `HTTP ${reply.status} with ${what}.`, {
    ...common,
    kind: retryable ? 'retryable' : 'fatal',
  })
}

/** Maps the token endpoint's JSON to the AuthenticationResult the core validates. */
export function authenticationResultOfOAuth(json: unknown): AuthenticationResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AuthError('InvalidResponse', 'The token endpoint did not return a JSON object.')
  }
  const r = json as Record<string, unknown>
  if (typeof r.access_token !== 'string') {
    throw new AuthError('InvalidResponse', 'The token endpoint returned no access_token.')
  }
  const expiresIn =
    typeof r.expires_in === 'string' && /^\d+$/.test(r.expires_in)
      ? Number(r.expires_in)
      : r.expires_in
  const result: Record<string, unknown> = { AccessToken: r.access_token, ExpiresIn: expiresIn }
  if (typeof r.token_type === 'string') result.TokenType = r.token_type
  if (r.id_token !== undefined) result.IdToken = r.id_token
  if (r.refresh_token !== undefined) result.RefreshToken = r.refresh_token
  // Types are checked once, for every transport, by the core's createTokenSet.
  return result as unknown as AuthenticationResult
}

export function oauth2Transport(options: OAuth2TransportOptions): Transport {
  const { clientId, clientSecret } = options
  const base = oauthBaseUrl(options)
  const basic =
    clientSecret !== undefined && (options.clientAuthentication ?? 'basic') === 'basic'
      ? basicAuthorization(clientId, clientSecret)
      : undefined
  warnAboutSecret(clientSecret)

  async function post(
    path: string,
    form: URLSearchParams,
    call: TransportCallOptions,
    token: string,
  ) {
    if (clientSecret !== undefined && basic === undefined) form.set('client_secret', clientSecret)
    // Only the form content type: a public client's request stays a CORS "simple request" (no
    // preflight); Basic authentication adds the one header that needs it.
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if (basic !== undefined) headers.authorization = basic
    const secrets = secretsFor(token, clientSecret)
    const reply = await send({
      ...options,
      url: `${base}${path}`,
      init: { method: 'POST', headers, body: form.toString() },
      signal: call.signal,
      clock: call.clock,
      secrets,
    })
    if (reply.status < 200 || reply.status >= 300) {
      throw decodeOAuthError(reply, clockOf(call).now(), secrets)
    }
    return reply
  }

  return {
    name: 'oauth2/token',
    async refresh(request, call) {
      // The order of Cognito's documented example; URLSearchParams sends `=` padding as %3D.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: request.refreshToken,
      })
      const reply = await post('/oauth2/token', form, call, request.refreshToken)
      return authenticationResultOfOAuth(parseJson(reply.text))
    },
    async revoke({ refreshToken }, call) {
      const form = new URLSearchParams({ token: refreshToken, client_id: clientId })
      await post('/oauth2/revoke', form, call, refreshToken)
    },
  }
}
