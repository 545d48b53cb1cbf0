/**
 * A backend-for-frontend on Web-standard `Request` → `Response`: the refresh token lives sealed in
 * an HttpOnly cookie and is never in a response body; the browser keeps using our client through
 * `backendTransport`. No server-side store, so any number of instances work behind any balancer.
 *
 * - `refresh` (POST): new access and ID tokens from the cookie's refresh token, through
 *   GetTokensFromRefreshToken with the app client's secret; a rotated token goes back into the
 *   cookie. One call to Cognito per refresh token and instance, however many tabs ask at once,
 *   and its answer is reused for `reuseWindowMs` for the tabs that come just after.
 * - `signOut` (POST): revokes the refresh token and clears the cookie.
 * - `signedIn(result)`: the reply to your own server-side sign-in: cookie set, tokens without the
 *   refresh token.
 * Every POST must carry `csrfHeader` (a cross-site form cannot) and, when the browser sends an
 * `Origin`, come from the request's own origin or `allowedOrigins`.
 */
import type { Clock } from '../core/platform/clock'
import { systemClock } from '../core/platform/clock'
import { AuthError, toAuthError } from '../core/errors'
import type { AuthenticationResult } from '../core/tokens'
import type { CognitoEndpointOptions } from '../core/transports/awsJson'
import { cognitoTransport } from '../core/transports/cognito'
import type { Transport } from '../core/transports/types'
import {
  cookieAttributes,
  cookieSealer,
  maxCookieBytes,
  readCookie,
  type SessionCookieOptions,
} from './cookie'
import { type GetSessionOptions, type Outcome, sessionReader } from './getSession'
import { type ServerManagedLoginOptions, serverManagedLogin } from './managedLogin'
import { json, publicTokens, refusal as refused } from './reply'
import {
  type CookieSource,
  type ServerSession,
  type ServerSessionOptions,
  tokenCookies,
  tokenVerifier,
} from './session'

export interface AuthHandlersOptions extends CognitoEndpointOptions {
  clientId: string
  /** The app client's secret: a confidential client, since the secret stays on the server. */
  clientSecret?: string
  /** Seal the cookie: the first seals, every one opens (add a new one first to rotate). */
  secrets: readonly string[]
  cookie?: SessionCookieOptions
  /** Origins that may POST besides the request's own, e.g. the app's behind a proxy. */
  allowedOrigins?: readonly string[]
  /** A header every POST must carry. @default 'x-requested-with' */
  csrfHeader?: string
  /** How long a finished refresh's answer serves the same refresh token again. @default 10000 */
  reuseWindowMs?: number
  clock?: Clock
  /** What calls Cognito. @default cognitoTransport with the options above */
  transport?: Transport
  /** Sign-in through Cognito managed login on this server (`signIn`, `callback`). */
  managedLogin?: ServerManagedLoginOptions
  /**
   * The session on the server (`getSession`): the access and ID tokens also go into HttpOnly
   * cookies of their own (`<name>-access`, `<name>-id`, SameSite=Lax, Path=/), verified against
   * the pool's JWKS when read.
   */
  session?: ServerSessionOptions
}

const maxRemembered = 10_000

export function createAuthHandlers(options: AuthHandlersOptions) {
  const clock = options.clock ?? systemClock
  const cookie = cookieAttributes(options.cookie ?? {})
  const sealer = cookieSealer(options.secrets, clock)
  const transport = options.transport ?? cognitoTransport(options)
  const csrfHeader = options.csrfHeader ?? 'x-requested-with'
  const reuseWindowMs = options.reuseWindowMs ?? 10_000
  /**
   * Refreshes under way or just finished, by the refresh token they spent; a finished one serves
   * until `until`. Evicted when looked up or when the map is full: no timers.
   */
  const flights = new Map<string, { outcome: Promise<Outcome>; until: number }>()

  const tokens = options.session === undefined ? undefined : tokenCookies(options.cookie ?? {})
  const refusal = (request: Request) => refused(request, csrfHeader, options.allowedOrigins)

  /** The sealed refresh token, and the token cookies when the server reads sessions. */
  async function sessionCookies(result: AuthenticationResult, refreshToken: string) {
    const value = cookie.set(await sealer.seal({ rt: refreshToken }, cookie.maxAge))
    if (new TextEncoder().encode(value).length > maxCookieBytes) {
      throw new Error('The sealed session is larger than a browser keeps in one cookie.')
    }
    return [value, ...(tokens?.set(publicTokens(result)) ?? [])]
  }
  const clearAll = () => [cookie.clear(), ...(tokens?.clear() ?? [])]

  async function refreshOnce(refreshToken: string): Promise<Outcome> {
    try {
      const result = await transport.refresh(
        { refreshToken },
        { signal: new AbortController().signal, clock },
      )
      const cookies = await sessionCookies(result, result.RefreshToken ?? refreshToken)
      return { ok: true, tokens: publicTokens(result), cookies }
    } catch (error) {
      return { ok: false, error: toAuthError(error, [refreshToken]) }
    }
  }

  function flight(refreshToken: string): Promise<Outcome> {
    const known = flights.get(refreshToken)
    if (known !== undefined && clock.now() < known.until) return known.outcome
    flights.delete(refreshToken)
    // Oldest first: answers past their window go, so no spent token stays in memory for long.
    for (const [token, { until }] of flights) {
      if (until > clock.now() && flights.size < maxRemembered) break
      flights.delete(token)
    }
    const entry = { outcome: refreshOnce(refreshToken), until: Number.POSITIVE_INFINITY }
    flights.set(refreshToken, entry)
    void entry.outcome.then((outcome) => {
      // A retryable failure may be tried again at once; any other answer stands for a while.
      const retry = !outcome.ok && outcome.error.kind === 'retryable'
      entry.until = retry ? 0 : clock.now() + reuseWindowMs
    })
    return entry.outcome
  }

  async function openSealed(sealed: string | undefined) {
    const rt = sealed === undefined ? undefined : (await sealer.open(sealed))?.rt
    return typeof rt === 'string' && rt !== '' ? rt : undefined
  }
  async function openSession(request: Request) {
    const refreshToken = await openSealed(readCookie(request.headers.get('cookie'), cookie.name))
    return refreshToken === undefined ? undefined : { refreshToken }
  }

  const signedOut = () => json(401, { error: 'NotAuthorizedException' }, {}, clearAll())

  async function refresh(request: Request): Promise<Response> {
    const refused = refusal(request)
    if (refused !== undefined) return refused
    const session = await openSession(request)
    if (session === undefined) return signedOut()
    const outcome = await flight(session.refreshToken)
    if (outcome.ok) return json(200, outcome.tokens, {}, outcome.cookies)
    const { error } = outcome
    // A dead token's cookie goes; a token rotated away keeps the cookie, which the browser may
    // by now hold newer (another instance's answer) and must not lose to this one.
    if (error.kind === 'terminal') {
      return json(401, { error: error.code }, {}, clearAll())
    }
    if (error.kind === 'reuse') return json(401, { error: error.code })
    if (error.kind === 'retryable') {
      const wait = error.retryAfterMs
      const after = wait === undefined ? {} : { 'retry-after': String(Math.ceil(wait / 1000)) }
      return json(503, { error: error.code }, after)
    }
    return json(400, { error: error.code })
  }

  async function signOut(request: Request): Promise<Response> {
    const refused = refusal(request)
    if (refused !== undefined) return refused
    const session = await openSession(request)
    if (session !== undefined && transport.revoke !== undefined) {
      const { refreshToken } = session
      await transport
        .revoke({ refreshToken }, { signal: new AbortController().signal, clock })
        .catch(() => undefined) // signed out here either way; the token expires on its own
    }
    return json(204, undefined, {}, clearAll())
  }

  async function signedIn(result: AuthenticationResult, location?: string): Promise<Response> {
    if (typeof result.RefreshToken !== 'string') return json(500, { error: 'InvalidSession' })
    const set = await sessionCookies(result, result.RefreshToken)
    if (location === undefined) return json(200, publicTokens(result), {}, set)
    const redirect = json(302, undefined, { location }, set)
    return redirect
  }

  const login =
    options.managedLogin === undefined
      ? undefined
      : serverManagedLogin(options.managedLogin, {
          ...options,
          clock,
          cookie: options.cookie ?? {},
          sealer,
          signedIn,
        })
  const reader =
    options.session === undefined || tokens === undefined
      ? undefined
      : sessionReader(options.session, {
          clock,
          refreshCookie: cookie.name,
          tokens,
          verify: tokenVerifier(options.session, options),
          open: openSealed,
          flight,
          clear: clearAll,
        })
  const getSession = (source: CookieSource, read?: GetSessionOptions): Promise<ServerSession> => {
    if (reader !== undefined) return reader(source, read)
    throw new AuthError('ConfigurationError', 'getSession needs the `session` option.')
  }
  const notFound = () => Promise.resolve(json(404, { error: 'NotFound' }))
  const signIn = (request: Request) => login?.signIn(request) ?? notFound()
  const callback = (request: Request) => login?.callback(request) ?? notFound()

  return {
    refresh,
    signOut,
    /**
     * The reply to your own server-side sign-in: the cookie set, no refresh token in the body
     * (or, with `location`, a redirect there).
     */
    signedIn,
    /**
     * The session of a page request, verified (needs `session`). With `{ refresh: true }`, where
     * the reply can set cookies, an expiring access token is refreshed: send `setCookie` along.
     */
    getSession,
    /** GET: to managed login (`?returnTo=/path`). Needs `managedLogin`. */
    signIn,
    /** GET: managed login's redirect back; to `returnTo` with the session cookie set. */
    callback,
    /**
     * `POST …/refresh`, `POST …/sign-out`, `GET …/sign-in`, `GET …/callback`; 404 otherwise. A
     * plain function: `export const POST = auth.handle` works.
     */
    handle: (request: Request): Promise<Response> => {
      const path = new URL(request.url).pathname
      if (path.endsWith('/refresh')) return refresh(request)
      if (path.endsWith('/sign-out')) return signOut(request)
      if (request.method === 'GET' && path.endsWith('/sign-in')) return signIn(request)
      if (request.method === 'GET' && path.endsWith('/callback')) return callback(request)
      return notFound()
    },
  }
}

export type AuthHandlers = ReturnType<typeof createAuthHandlers>
