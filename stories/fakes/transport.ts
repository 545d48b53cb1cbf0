/**
 * A transport that mints fake tokens in memory, for stories. It can be told to fail (every call,
 * or the next ones), to hang, or to be slow, and it remembers the tokens it issued so the fake API
 * can tell a valid access token from a stale one.
 */
import {
  AuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  type AuthenticationResult,
  type Transport,
} from 'react-cognito-refresh'
import { type FakeUser, fakeAuthResult, fakeRefreshToken, storyUser } from './tokens'

export interface StoryTransportOptions {
  /** Access token lifetime in seconds. @default 3600 */
  expiresIn?: number
  /** Rotate the refresh token on each refresh and refuse the old one. @default true */
  rotate?: boolean
  /** Delay before each answer. @default 150 */
  latencyMs?: number
  user?: FakeUser
}

type Failure = { code: AuthErrorCode; message: string; options?: AuthErrorOptions }

export interface StoryTransport extends Transport {
  /** A sign-in result whose refresh token this transport accepts. */
  signIn(user?: FakeUser): AuthenticationResult
  /** Every refresh fails like this until `recover()`. */
  failAlways(code: AuthErrorCode, message: string, options?: AuthErrorOptions): void
  /** The next refresh fails like this. */
  failOnce(code: AuthErrorCode, message: string, options?: AuthErrorOptions): void
  /** Refreshes never answer (a request in flight) until `recover()`. */
  hang(): void
  recover(): void
  /** Whether `accessToken` was issued here and has not expired. */
  accepts(accessToken: string): boolean
  /** Refreshes answered with tokens. */
  readonly refreshCount: number
  /** Refresh calls received, failed ones included (what Cognito's quota counts). */
  readonly callCount: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createStoryTransport(options: StoryTransportOptions = {}): StoryTransport {
  const expiresIn = options.expiresIn ?? 3600
  const rotate = options.rotate ?? true
  const validRefresh = new Set<string>()
  // Refresh tokens rotated away: replaying one is a reuse, as Cognito answers after the grace period.
  const rotatedAway = new Set<string>()
  const issued = new Map<string, number>()
  const queue: Failure[] = []
  let always: Failure | undefined
  let hanging: Promise<void> | undefined
  let release: (() => void) | undefined
  let refreshCount = 0
  let callCount = 0
  let user = options.user ?? storyUser

  const issue = (refreshToken?: string | null): AuthenticationResult => {
    const result = fakeAuthResult({ user, expiresIn, refreshToken })
    issued.set(result.AccessToken, Date.now() + expiresIn * 1000)
    if (result.RefreshToken !== undefined) validRefresh.add(result.RefreshToken)
    return result
  }
  const raise = (f: Failure): never => {
    throw new AuthError(f.code, f.message, f.options)
  }

  return {
    name: 'story',
    async refresh(request) {
      callCount++
      await sleep(options.latencyMs ?? 150)
      if (hanging !== undefined) await hanging
      const once = queue.shift()
      if (once !== undefined) raise(once)
      if (always !== undefined) raise(always)
      if (rotatedAway.has(request.refreshToken)) {
        raise({
          code: 'RefreshTokenReuseException',
          message: 'Refresh token has been invalidated by rotation.',
          options: { status: 400 },
        })
      }
      if (!validRefresh.has(request.refreshToken)) {
        raise({ code: 'NotAuthorizedException', message: 'Invalid Refresh Token.' })
      }
      refreshCount++
      if (!rotate) return issue(null)
      validRefresh.delete(request.refreshToken)
      rotatedAway.add(request.refreshToken)
      return issue(fakeRefreshToken())
    },
    async revoke({ refreshToken }) {
      validRefresh.delete(refreshToken)
    },
    signIn(who) {
      if (who !== undefined) user = who
      return issue()
    },
    failAlways(code, message, failureOptions) {
      always = { code, message, ...(failureOptions && { options: failureOptions }) }
    },
    failOnce(code, message, failureOptions) {
      queue.push({ code, message, ...(failureOptions && { options: failureOptions }) })
    },
    hang() {
      hanging ??= new Promise<void>((resolve) => (release = resolve))
    },
    recover() {
      always = undefined
      queue.length = 0
      release?.()
      hanging = undefined
    },
    accepts(accessToken) {
      const until = issued.get(accessToken)
      return until !== undefined && until > Date.now()
    },
    get refreshCount() {
      return refreshCount
    },
    get callCount() {
      return callCount
    },
  }
}
