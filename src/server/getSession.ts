/**
 * `getSession`: the session of a page request, from its token cookies, verified. With
 * `refresh: true` (route handlers, Server Actions, Next's proxy: where the reply can set cookies),
 * an access token that is gone or about to expire is refreshed through the handlers' single flight,
 * and the new cookies come back in `setCookie`. Never refreshes where the rotated refresh token
 * could not be written back: that would spend the session's only copy.
 */
import { AuthError, toAuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import type { PublicTokens } from './reply'
import {
  type CookieSource,
  cookieOf,
  type ServerSession,
  type ServerSessionOptions,
  type tokenCookies,
  type tokenVerifier,
} from './session'

export type Outcome =
  { ok: true; tokens: PublicTokens; cookies: string[] } | { ok: false; error: AuthError }

interface Parts {
  clock: Clock
  refreshCookie: string
  tokens: ReturnType<typeof tokenCookies>
  verify: ReturnType<typeof tokenVerifier>
  open: (sealed: string) => Promise<string | undefined>
  flight: (refreshToken: string) => Promise<Outcome>
  /** Every session cookie cleared. */
  clear: () => string[]
}

export interface GetSessionOptions {
  /** Refresh when needed; only where the reply's `setCookie` will be sent. @default false */
  refresh?: boolean
}

export function sessionReader(session: ServerSessionOptions, parts: Parts) {
  const { clock, tokens, verify } = parts
  const aheadMs = (session.refreshAheadSeconds ?? 60) * 1000
  const signedOut = (reason: 'noSession' | 'expired' | 'ended', setCookie: string[] = []) =>
    ({ status: 'signedOut', reason, setCookie }) as const

  async function idOf(idToken: string | undefined) {
    const idClaims = await verify.id(idToken)
    return { idToken: idClaims === undefined ? undefined : idToken, idClaims }
  }

  async function signedIn(accessToken: string, idToken: string | undefined, setCookie: string[]) {
    const claims = await verify.access(accessToken)
    if (claims === undefined) return undefined
    return {
      status: 'signedIn',
      accessToken,
      claims,
      ...(await idOf(idToken)),
      expiresAt: claims.exp * 1000,
      setCookie,
    } as const
  }

  async function read(source: CookieSource, refresh: boolean): Promise<ServerSession> {
    const sealed = cookieOf(source, parts.refreshCookie)
    const accessToken = cookieOf(source, tokens.access) ?? ''
    const current = await signedIn(accessToken, cookieOf(source, tokens.id), [])
    // Never more than half the token's lifetime ahead, as the browser's client schedules it.
    const lifetimeMs = current === undefined ? 0 : (current.claims.exp - current.claims.iat) * 1000
    const ahead = Math.min(aheadMs, lifetimeMs / 2)
    if (current !== undefined && (!refresh || current.expiresAt - clock.now() > ahead)) {
      return current
    }
    if (sealed === undefined) return current ?? signedOut('noSession')
    if (!refresh) return signedOut('expired')
    const refreshToken = await parts.open(sealed)
    if (refreshToken === undefined) return signedOut('ended', parts.clear())
    const outcome = await parts.flight(refreshToken)
    if (outcome.ok) {
      const { accessToken: next, idToken } = outcome.tokens
      const fresh = await signedIn(next, idToken, outcome.cookies)
      if (fresh !== undefined) return fresh
      // The refresh happened: its cookies (a rotated refresh token among them) must still be set.
      const error = new AuthError(
        'ConfigurationError',
        "Cognito's new access token does not verify: check `session.userPoolId` and `issuer`.",
        { kind: 'fatal' },
      )
      return { status: 'error', error, setCookie: outcome.cookies }
    }
    const { error } = outcome
    if (error.kind === 'terminal') return signedOut('ended', parts.clear())
    // Still valid for a little while: a refresh that could not happen now changes nothing yet.
    if (current !== undefined) return current
    // Rotated away: the browser may hold a newer cookie by now (another instance's answer).
    if (error.kind === 'reuse') return signedOut('expired')
    throw error
  }

  return async function getSession(
    source: CookieSource,
    options: GetSessionOptions = {},
  ): Promise<ServerSession> {
    try {
      return await read(source, options.refresh === true)
    } catch (error) {
      return { status: 'error', error: toAuthError(error), setCookie: [] }
    }
  }
}
