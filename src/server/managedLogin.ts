/**
 * Managed login through the server: `signIn` sends the browser to `/oauth2/authorize` with PKCE,
 * keeping the verifier, `state`, `nonce` and return path in a sealed, short-lived cookie;
 * `callback` checks the state against it, exchanges the code with the client secret, checks the
 * ID token, and sets the session cookie. The code, verifier and tokens never reach the page.
 */
import { AuthError, toAuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import type { AuthenticationResult } from '../core/tokens'
import type { HttpOptions } from '../core/transports/http'
import {
  basicAuthorization,
  type OAuth2TransportOptions,
  oauthBaseUrl,
} from '../core/transports/oauth2'
import { callbackError, exchangeCode } from '../sign-in/exchange'
import { startAuthorization } from '../sign-in/pkce'
import {
  cookieAttributes,
  type cookieSealer,
  readCookie,
  type SessionCookieOptions,
} from './cookie'

export interface ServerManagedLoginOptions extends Pick<
  OAuth2TransportOptions,
  'domain' | 'domainPrefix' | 'region'
> {
  /** This server's callback route, registered in the app client's callback URLs exactly. */
  redirectUri: string
  /** @default ['openid'] */
  scopes?: readonly string[]
  /** The pool's issuer, checked exactly when given. */
  issuer?: string
  /** Where a failed sign-in lands, with `?sign_in_error=<code>`. @default '/' */
  failureRedirect?: string
  /** How long a started sign-in may take. @default 600 */
  maxSignInSeconds?: number
}

interface Parts extends HttpOptions {
  clientId: string
  clientSecret?: string | undefined
  clock: Clock
  cookie: SessionCookieOptions
  sealer: ReturnType<typeof cookieSealer>
  /** The reply that sets the session cookie, redirecting to `location`. */
  signedIn: (result: AuthenticationResult, location: string) => Promise<Response>
}

/** A path on this site: never another origin (`//evil.example`, `https://…`). */
const sameSitePath = (path: string | null) =>
  path !== null && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\')
    ? path
    : '/'

export function serverManagedLogin(login: ServerManagedLoginOptions, parts: Parts) {
  const { clientId, clientSecret, clock, sealer } = parts
  const base = oauthBaseUrl({ ...login, clientId })
  const maxAge = login.maxSignInSeconds ?? 600
  // Cognito brings the browser back by a cross-site navigation: a Strict cookie would stay home.
  const pending = cookieAttributes({
    ...parts.cookie,
    name: `${parts.cookie.name ?? 'rcr-session'}-sign-in`,
    sameSite: 'Lax',
    maxAgeSeconds: maxAge,
  })
  const redirect = (location: string, cookies: string[]) => {
    const headers = new Headers({ location, 'cache-control': 'no-store' })
    for (const cookie of cookies) headers.append('set-cookie', cookie)
    return new Response(null, { status: 302, headers })
  }
  const failed = (error: unknown) => {
    const to = new URL(login.failureRedirect ?? '/', login.redirectUri)
    to.searchParams.set('sign_in_error', toAuthError(error).code)
    return redirect(`${to.pathname}${to.search}`, [pending.clear()])
  }

  return {
    /** GET: to managed login; `?returnTo=/path` is where the browser comes back to. */
    async signIn(request: Request): Promise<Response> {
      const url = new URL(request.url)
      const {
        url: authorize,
        verifier,
        state,
        nonce,
      } = await startAuthorization(base, clientId, login.redirectUri, login.scopes ?? ['openid'])
      const returnTo = sameSitePath(url.searchParams.get('returnTo'))
      const sealed = await sealer.seal({ v: verifier, s: state, n: nonce, r: returnTo }, maxAge)
      return redirect(authorize, [pending.set(sealed)])
    },

    /** GET: the redirect back from managed login. */
    async callback(request: Request): Promise<Response> {
      try {
        const params = new URL(request.url).searchParams
        const sealed = readCookie(request.headers.get('cookie'), pending.name)
        const started = sealed === undefined ? undefined : await sealer.open(sealed)
        const state = params.get('state')
        if (started === undefined || state === null || started.s !== state) {
          throw new AuthError(
            'StateMismatch',
            'The sign-in callback matches no sign-in started here.',
            {
              kind: 'fatal',
            },
          )
        }
        const error = params.get('error')
        if (error !== null) throw callbackError(error, params.get('error_description'))
        const code = params.get('code')
        if (code === null) throw new AuthError('InvalidResponse', 'The callback has no code.')
        const authorization =
          clientSecret === undefined ? undefined : basicAuthorization(clientId, clientSecret)
        const result = await exchangeCode(
          {
            clientId,
            clock,
            base,
            ...(parts.fetch !== undefined && { fetch: parts.fetch }),
            ...(parts.timeoutMs !== undefined && { timeoutMs: parts.timeoutMs }),
            ...(login.issuer !== undefined && { issuer: login.issuer }),
            ...(authorization !== undefined && { headers: { authorization } }),
          },
          code,
          {
            verifier: String(started.v),
            nonce: String(started.n),
            redirectUri: login.redirectUri,
            returnTo: String(started.r),
            expiresAt: Number.POSITIVE_INFINITY,
          },
        )
        const response = await parts.signedIn(result, sameSitePath(String(started.r)))
        response.headers.append('set-cookie', pending.clear())
        return response
      } catch (error) {
        return failed(error)
      }
    },
  }
}
