import { AuthError, type AuthErrorCode, type AuthErrorOptions } from '../../src/core/errors'
import type { AuthenticationResult } from '../../src/core/tokens'
import type { RefreshRequest, Transport } from '../../src/core/transports/types'
import { authResult, fakeRefreshToken } from './tokens'

type Step = (request: RefreshRequest) => AuthenticationResult | Promise<AuthenticationResult>

export interface FakeTransportOptions {
  expiresIn?: number
  /** Return a new refresh token with each refresh and reject the old one. @default false */
  rotate?: boolean
  now?: () => number
  sub?: string
}

/**
 * A transport that mints tokens in memory. Queue failures or custom replies with `next()`;
 * `calls` records every request; `gate()` holds the next reply until released.
 */
export function createFakeTransport(options: FakeTransportOptions = {}) {
  const valid = new Set<string>()
  const queue: Step[] = []
  const calls: RefreshRequest[] = []
  const revoked: string[] = []
  const gates: Array<Promise<void>> = []
  /** The user each refresh token was issued to (a refresh answers for the same user, as Cognito does). */
  const users = new Map<string, { sub?: string; username?: string }>()

  const mint = (request: RefreshRequest): AuthenticationResult => {
    const user = users.get(request.refreshToken) ?? (options.sub ? { sub: options.sub } : {})
    if (options.rotate) {
      if (!valid.has(request.refreshToken)) {
        throw new AuthError('RefreshTokenReuseException', 'RefreshTokenReuseException: reused')
      }
      valid.delete(request.refreshToken)
      const next = fakeRefreshToken('rotated')
      valid.add(next)
      users.set(next, user)
      return authResult({
        expiresIn: options.expiresIn ?? 3600,
        now: options.now?.(),
        refreshToken: next,
        ...user,
      })
    }
    return authResult({
      expiresIn: options.expiresIn ?? 3600,
      now: options.now?.(),
      refreshToken: null,
      ...user,
    })
  }

  const transport: Transport & {
    calls: RefreshRequest[]
    revoked: string[]
    next(step: Step): void
    fail(code: AuthErrorCode, options?: AuthErrorOptions): void
    gate(): () => void
    /** A sign-in result whose refresh token this transport accepts. */
    signIn(overrides?: Parameters<typeof authResult>[0]): AuthenticationResult
  } = {
    name: 'fake',
    calls,
    revoked,
    async refresh(request) {
      calls.push(request)
      const gate = gates.shift()
      if (gate) await gate
      const step = queue.shift()
      return step ? step(request) : mint(request)
    },
    async revoke({ refreshToken }) {
      revoked.push(refreshToken)
      valid.delete(refreshToken)
    },
    next: (step) => void queue.push(step),
    fail(code, errorOptions) {
      queue.push(() => {
        throw new AuthError(code, `${code}: injected`, errorOptions)
      })
    },
    gate() {
      let release!: () => void
      gates.push(new Promise<void>((resolve) => (release = resolve)))
      return () => release()
    },
    signIn(overrides = {}) {
      const result = authResult({
        expiresIn: options.expiresIn ?? 3600,
        now: options.now?.(),
        ...(options.sub && { sub: options.sub }),
        ...overrides,
      })
      if (result.RefreshToken) {
        valid.add(result.RefreshToken)
        const sub = overrides.sub ?? options.sub
        const username = overrides.username
        users.set(result.RefreshToken, {
          ...(sub !== undefined && { sub }),
          ...(username !== undefined && { username }),
        })
      }
      return result
    },
  }
  return transport
}

export type FakeTransport = ReturnType<typeof createFakeTransport>
