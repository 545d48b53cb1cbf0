/**
 * Sign-in with Cognito managed login: the authorization code flow with PKCE (S256), a `state` and
 * a `nonce` per sign-in, the callback's checks, and Cognito's own `/logout`. Every successful
 * sign-in ends in `client.setSession`, the one path that takes a session, so the other tabs, the
 * storage and the refresh schedule do not know how the user signed in.
 */
import type { AuthClient } from '../core/client/options'
import { AuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import { systemClock } from '../core/platform/clock'
import { type StorageAdapter, sessionStorageAdapter } from '../core/platform/storage'
import type { TokenSet } from '../core/tokens'
import type { HttpOptions } from '../core/transports/http'
import { type OAuth2TransportOptions, oauthBaseUrl } from '../core/transports/oauth2'
import { callbackError, exchangeCode, isCallbackTo, parts } from './exchange'
import { pendingStore } from './pending'
import { startAuthorization } from './pkce'
import { handToOpener, popupStatePrefix } from './handOver'

export interface ManagedLoginOptions
  extends HttpOptions, Pick<OAuth2TransportOptions, 'domain' | 'domainPrefix' | 'region'> {
  clientId: string
  /** Registered in the app client's "Allowed callback URLs", exactly. */
  redirectUri: string
  /** Registered in "Allowed sign-out URLs"; needed by `signOut()` unless `{ local: true }`. */
  logoutUri?: string
  /** @default ['openid'] (add 'email', 'profile' … as the app client allows) */
  scopes?: readonly string[]
  /** The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, checked when given. */
  issuer?: string
  /** Where a started sign-in waits for its callback. @default sessionStorageAdapter() */
  storage?: StorageAdapter
  /** @default systemClock */
  clock?: Clock
  /** How long a started sign-in may take. @default 600000 (10 minutes) */
  maxSignInMs?: number
  /** Leaves the page. @default (url) => location.assign(url) */
  navigate?: (url: string) => void
  /** Rewrites the address bar without `code` and `state`. @default history.replaceState */
  replaceUrl?: (url: string) => void
  /**
   * Completes a callback on the page's address as soon as `managedLogin()` runs, before the app
   * renders; `handleRedirectCallback()` then hands out its outcome. @default true
   */
  handleCallback?: boolean
}

export interface SignInRedirectOptions {
  /** Where the app goes after the callback. @default the current path, query and hash */
  returnTo?: string
  scopes?: readonly string[]
  identityProvider?: string
  idpIdentifier?: string
  lang?: string
  loginHint?: string
  prompt?: 'none' | 'login' | 'select_account' | 'consent'
  /** RFC 8707 resource indicator. */
  resource?: string
}

export interface CallbackResult {
  tokens: TokenSet
  returnTo: string
}

const here = () => (typeof location === 'object' ? location.href : '')
/**
 * One outcome per callback URL in this page, by the URL as it came and as cleaned: StrictMode's
 * second effect gets the first one's promise instead of a second exchange (or a `null`).
 */
const callbacks = new Map<string, Promise<CallbackResult | null>>()

export function managedLogin(client: AuthClient, options: ManagedLoginOptions) {
  const { clientId, redirectUri } = options
  const clock = options.clock ?? systemClock
  const base = oauthBaseUrl({ ...options, clientId })
  const pending = pendingStore(
    options.storage ?? sessionStorageAdapter(),
    `react-cognito-refresh.${clientId}.signIn`,
  )
  const navigate = options.navigate ?? ((url: string) => location.assign(url))
  const replaceUrl = options.replaceUrl ?? ((url: string) => history.replaceState(null, '', url))
  const maxSignInMs = options.maxSignInMs ?? 600_000

  /** Starts a sign-in: the authorize URL, with its verifier and nonce stored under its state. */
  async function authorizeUrl(signIn: SignInRedirectOptions = {}, popup = false): Promise<string> {
    const current = here() === '' ? undefined : new URL(here())
    const returnTo =
      signIn.returnTo ?? (current ? `${current.pathname}${current.search}${current.hash}` : '/')
    const { url, verifier, state, nonce } = await startAuthorization(
      base,
      clientId,
      redirectUri,
      signIn.scopes ?? options.scopes ?? ['openid'],
      popup ? popupStatePrefix : '',
      {
        identity_provider: signIn.identityProvider,
        idp_identifier: signIn.idpIdentifier,
        lang: signIn.lang,
        login_hint: signIn.loginHint,
        prompt: signIn.prompt,
        resource: signIn.resource,
      },
    )
    const expiresAt = clock.now() + maxSignInMs
    pending.put(state, { verifier, nonce, redirectUri, returnTo, expiresAt })
    return url
  }

  async function settle(
    state: string,
    code: string | null,
    error: string | null,
    description: string | null,
  ): Promise<CallbackResult> {
    if (error !== null) {
      pending.take(state, Number.NEGATIVE_INFINITY)
      throw callbackError(error, description)
    }
    const started = pending.take(state, clock.now())
    const result = await exchangeCode({ ...options, base, clock }, code as string, started)
    return { tokens: client.setSession(result), returnTo: started.returnTo }
  }

  const isCallback = (url: string) => isCallbackTo(redirectUri, url)

  /**
   * Completes a sign-in on the redirect back: `null` when `url` is not a callback (or is a popup's,
   * handed to the opener). Checks the state, exchanges the code once, checks the ID token, stores
   * the session, and, `inPage`, removes `code` and `state` from the address bar. Rejects with an
   * `AuthError`, storing nothing, otherwise.
   */
  function complete(url: string, inPage: boolean): Promise<CallbackResult | null> {
    const earlier = callbacks.get(url)
    if (earlier !== undefined) return earlier
    if (!isCallback(url)) return Promise.resolve(null)
    const parsed = new URL(url)
    const params = parsed.searchParams
    const state = params.get('state') as string
    const code = params.get('code')
    const error = params.get('error')
    const description = params.get('error_description')
    for (const name of ['code', 'state', 'error', 'error_description']) params.delete(name)
    // In a popup, the opener completes it: the address stays, for the opener to read.
    const handed = inPage && handToOpener(url, state)
    const running = handed ? Promise.resolve(null) : settle(state, code, error, description)
    callbacks.set(url, running)
    callbacks.set(parsed.toString(), running)
    if (inPage && !handed) {
      try {
        replaceUrl(parsed.toString())
      } catch {
        // no history (a test host): nothing to clean
      }
    }
    return running
  }

  // On the redirect back, before the app renders: one exchange, whoever asks for the outcome.
  if (options.handleCallback !== false && isCallback(here())) {
    complete(here(), true).catch(() => undefined)
  }

  return {
    authorizeUrl: (signIn?: SignInRedirectOptions) => authorizeUrl(signIn),
    handleRedirectCallback: (url: string = here()) => complete(url, true),
    /** For `signInWithPopup`, which an app that does not use it leaves out of its bundle. */
    [parts]: { authorizeUrl, complete, drop: pending.drop, clock, maxSignInMs, isCallback },
    /** Starts a sign-in and leaves the page for managed login. */
    async signInWithRedirect(signIn?: SignInRedirectOptions): Promise<void> {
      navigate(await authorizeUrl(signIn))
    },
    /**
     * Signs out here and in every tab (revoking the refresh token through the client's
     * transport), then, unless `local`, ends the managed-login session at Cognito's `/logout`.
     */
    async signOut({ local = false }: { local?: boolean } = {}): Promise<void> {
      await client.signOut()
      if (local) return
      if (options.logoutUri === undefined) {
        throw new AuthError(
          'ConfigurationError',
          'signOut() needs `logoutUri`, or { local: true }.',
        )
      }
      const query = new URLSearchParams({ client_id: clientId, logout_uri: options.logoutUri })
      navigate(`${base}/logout?${query.toString()}`)
    },
  }
}

export type ManagedLogin = ReturnType<typeof managedLogin>
