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
 * - `session` (POST): the page's tokens on load; `getSession`: the session on the server.
 * Every POST must carry `csrfHeader` (a cross-site form cannot) and, when the browser sends an
 * `Origin`, come from the request's own origin or `allowedOrigins`.
 */
import { systemClock } from '../core/platform/clock'
import { AuthError, toAuthError } from '../core/errors'
import type { AuthenticationResult } from '../core/tokens'
import { cognitoTransport } from '../core/transports/cognito'
import { cookieAttributes, cookieSealer, maxCookieBytes, readCookie } from './cookie'
import { singleFlight } from './flights'
import { type GetSessionOptions, type Outcome, sessionReader } from './getSession'
import { serverManagedLogin } from './managedLogin'
import type { AuthHandlersOptions } from './options'
import { json, publicTokens, refusal as refused } from './reply'
import { type CookieSource, type ServerSession, tokenCookies, tokenVerifier } from './session'

export type { AuthHandlersOptions }

export function createAuthHandlers(options: AuthHandlersOptions) {
  const clock = options.clock ?? systemClock
  const cookie = cookieAttributes(options.cookie ?? {})
  const sealer = cookieSealer(options.secrets, clock)
  const transport = options.transport ?? cognitoTransport(options)
  const csrfHeader = options.csrfHeader ?? 'x-requested-with'
  const reuseWindowMs = options.reuseWindowMs ?? 10_000
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

  const flight = singleFlight(refreshOnce, clock, reuseWindowMs)

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
    return failure(outcome.error)
  }

  /** A failed refresh as `backendTransport` reads it. */
  function failure(error: AuthError): Response {
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

  /**
   * POST: the page's tokens on load, from the token cookies while they are fresh (no call to
   * Cognito), else by a refresh. Without `session`, a refresh.
   */
  async function session(request: Request): Promise<Response> {
    const refused = refusal(request)
    if (refused !== undefined) return refused
    if (reader === undefined) return refresh(request)
    const current = await reader(request, { refresh: true })
    if (current.status === 'error') {
      const reply = failure(current.error)
      for (const line of current.setCookie) reply.headers.append('set-cookie', line)
      return reply
    }
    if (current.status === 'signedOut') {
      // 'expired' here: the token was rotated away meanwhile; the cookie stays (see failure).
      const code =
        current.reason === 'expired' ? 'RefreshTokenReuseException' : 'NotAuthorizedException'
      return json(401, { error: code }, {}, current.setCookie)
    }
    const { accessToken, idToken, expiresAt, setCookie } = current
    const expiresIn = Math.max(0, Math.floor((expiresAt - clock.now()) / 1000))
    const body = publicTokens({
      AccessToken: accessToken,
      ...(idToken !== undefined && { IdToken: idToken }),
      ExpiresIn: expiresIn,
    })
    return json(200, body, {}, setCookie)
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
  const verify = options.session === undefined ? undefined : tokenVerifier(options.session, options)
  const reader =
    options.session === undefined || tokens === undefined || verify === undefined
      ? undefined
      : sessionReader(options.session, {
          clock,
          refreshCookie: cookie.name,
          tokens,
          verify,
          open: openSealed,
          flight,
          clear: clearAll,
        })
  const getSession = (source: CookieSource, read?: GetSessionOptions): Promise<ServerSession> => {
    if (reader !== undefined) return reader(source, read)
    throw new AuthError('ConfigurationError', 'getSession needs the `session` option.')
  }
  const verifyAccessToken = (token: string) => {
    if (verify !== undefined) return verify.access(token)
    throw new AuthError('ConfigurationError', 'verifyAccessToken needs the `session` option.')
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
    /**
     * A bearer token's claims (`useAuthFetch`'s `Authorization` header), verified as the cookies
     * are, or undefined (needs `session`). Rejects with a retryable error while the JWKS is out
     * of reach.
     */
    verifyAccessToken,
    /** GET: to managed login (`?returnTo=/path`). Needs `managedLogin`. */
    signIn,
    /** GET: managed login's redirect back; to `returnTo` with the session cookie set. */
    callback,
    session,
    /**
     * `POST …/refresh`, `POST …/session`, `POST …/sign-out`, `GET …/sign-in`, `GET …/callback`;
     * 404 otherwise. A
     * plain function: `export const POST = auth.handle` works.
     */
    handle: (request: Request): Promise<Response> => {
      const path = new URL(request.url).pathname
      if (path.endsWith('/refresh')) return refresh(request)
      if (path.endsWith('/session')) return session(request)
      if (path.endsWith('/sign-out')) return signOut(request)
      if (request.method === 'GET' && path.endsWith('/sign-in')) return signIn(request)
      if (request.method === 'GET' && path.endsWith('/callback')) return callback(request)
      return notFound()
    },
  }
}

export type AuthHandlers = ReturnType<typeof createAuthHandlers>
