/**
 * Sign-in with Cognito managed login: the authorization code flow with PKCE (S256), a `state` and
 * a `nonce` per sign-in, the callback's checks, and Cognito's own `/logout`. Every successful
 * sign-in ends in `client.setSession`, the one path that takes a session, so the other tabs, the
 * storage and the refresh schedule do not know how the user signed in.
 */
import type { AuthClient } from '../core/client/options'
import { AuthError, redact } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import { systemClock } from '../core/platform/clock'
import { type StorageAdapter, sessionStorageAdapter } from '../core/platform/storage'
import type { TokenSet } from '../core/tokens'
import { type HttpOptions, send, userAgent } from '../core/transports/http'
import {
  type OAuth2TransportOptions,
  authenticationResultOfOAuth,
  decodeOAuthError,
  oauthBaseUrl,
} from '../core/transports/oauth2'
import { checkIdToken } from './idToken'
import { pendingStore } from './pending'
import { challengeOf, randomValue } from './pkce'

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

  /** Starts a sign-in: the authorize URL, with its verifier and nonce stored under its state. */
  async function authorizeUrl(signIn: SignInRedirectOptions = {}): Promise<string> {
    const verifier = randomValue()
    const state = randomValue(16)
    const nonce = randomValue(16)
    const current = here() === '' ? undefined : new URL(here())
    const returnTo =
      signIn.returnTo ?? (current ? `${current.pathname}${current.search}${current.hash}` : '/')
    const params: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: (signIn.scopes ?? options.scopes ?? ['openid']).join(' '),
      state,
      nonce,
      code_challenge: await challengeOf(verifier),
      code_challenge_method: 'S256',
      identity_provider: signIn.identityProvider,
      idp_identifier: signIn.idpIdentifier,
      lang: signIn.lang,
      login_hint: signIn.loginHint,
      prompt: signIn.prompt,
      resource: signIn.resource,
    }
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) query.set(name, value)
    const expiresAt = clock.now() + (options.maxSignInMs ?? 600_000)
    pending.put(state, { verifier, nonce, redirectUri, returnTo, expiresAt })
    return `${base}/oauth2/authorize?${query.toString()}`
  }

  async function exchange(code: string, state: string): Promise<CallbackResult> {
    const started = pending.take(state, clock.now())
    const secrets = [code, started.verifier]
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: started.redirectUri,
      code_verifier: started.verifier,
    })
    const reply = await send({
      ...options,
      url: `${base}/oauth2/token`,
      init: {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-amz-user-agent': userAgent,
        },
        body: form.toString(),
      },
      signal: new AbortController().signal,
      secrets,
    })
    if (reply.status < 200 || reply.status > 299) {
      throw decodeOAuthError(reply, clock.now(), secrets)
    }
    let json: unknown
    try {
      json = JSON.parse(reply.text)
    } catch {
      throw new AuthError('InvalidResponse', 'The token endpoint did not return JSON.')
    }
    const result = authenticationResultOfOAuth(json)
    checkIdToken(result.IdToken, {
      clientId,
      nonce: started.nonce,
      issuer: options.issuer,
      now: clock.now(),
      leewayMs: 300_000,
    })
    if (typeof result.RefreshToken !== 'string') {
      throw new AuthError(
        'InvalidResponse',
        'The token endpoint returned no refresh token: is the app client allowed the authorization code grant?',
      )
    }
    return { tokens: client.setSession(result), returnTo: started.returnTo }
  }

  /**
   * Completes a sign-in on the redirect back: `null` when `url` is not a callback. Checks the
   * state, exchanges the code once, checks the ID token, stores the session, and removes `code`
   * and `state` from the address bar. Rejects with an `AuthError`, storing nothing, otherwise.
   */
  function handleRedirectCallback(url: string = here()): Promise<CallbackResult | null> {
    // A second call after the first cleaned the address bar (StrictMode's second effect) gets
    // the first one's outcome.
    const earlier = callbacks.get(url)
    if (earlier !== undefined) return earlier
    const parsed = new URL(url)
    const params = parsed.searchParams
    const state = params.get('state')
    const code = params.get('code')
    const error = params.get('error')
    const description = params.get('error_description')
    if (state === null || (code === null && error === null)) return Promise.resolve(null)
    for (const name of ['code', 'state', 'error', 'error_description']) params.delete(name)
    const running = settle(state, code, error, description)
    callbacks.set(url, running)
    callbacks.set(parsed.toString(), running)
    try {
      replaceUrl(parsed.toString())
    } catch {
      // no history (a test host): nothing to clean
    }
    return running
  }

  async function settle(
    state: string,
    code: string | null,
    error: string | null,
    description: string | null,
  ): Promise<CallbackResult> {
    if (error !== null) {
      pending.take(state, Number.NEGATIVE_INFINITY)
      throw error === 'access_denied'
        ? new AuthError('SignInCancelled', 'The sign-in was cancelled.', { kind: 'fatal' })
        : new AuthError(
            'SignInFailed',
            redact(`Managed login answered ${error}${description ? `: ${description}` : ''}.`),
            { kind: 'fatal', serviceCode: error },
          )
    }
    return exchange(code as string, state)
  }

  return {
    authorizeUrl,
    handleRedirectCallback,
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
