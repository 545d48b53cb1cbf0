/**
 * The client's options with their defaults filled in, in one place: the `@default`s in
 * options.ts and docs/reference/createAuthClient.md name these values.
 */
import { AuthError } from '../errors'
import { systemClock } from '../platform/clock'
import { browserLifecycle } from '../platform/lifecycle'
import type { AuthClientOptions } from './options'
import { defaultMinRefreshIntervalMs } from '../refresh/schedule'
import type { TokenSet } from '../tokens'

export function resolveClientOptions(options: AuthClientOptions) {
  // Development builds only: the types refuse them too, and a production bundle need not carry this.
  if (typeof process === 'object' && process.env.NODE_ENV !== 'production') {
    rejectMovedOptions(options)
  }
  const env = options.environment ?? {}
  const clock = env.clock ?? systemClock
  const random = env.random ?? Math.random
  // Session and tab ids: from an injected `random` (deterministic tests), else the platform's UUIDs.
  let ids = 0
  const randomId = env.random
    ? () =>
        `${(ids++).toString(36)}.${random().toString(36).slice(2)}${random().toString(36).slice(2)}`
    : () => globalThis.crypto?.randomUUID?.() ?? `${clock.now().toString(36)}${Math.random()}`
  const validityMs =
    options.refreshTokenValiditySeconds === undefined
      ? undefined
      : options.refreshTokenValiditySeconds * 1000
  return {
    clock,
    random,
    randomId,
    key: options.storageKey ?? `react-cognito-refresh.${options.clientId}`,
    lifecycle: env.lifecycle ?? browserLifecycle,
    lock: env.lock,
    channel: env.channel,
    peerTimeoutMs: options.peerTimeoutMs ?? 500,
    lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
    refreshTimeoutMs: options.refreshTimeoutMs ?? 20_000,
    minRefreshIntervalMs: options.minRefreshIntervalMs ?? defaultMinRefreshIntervalMs,
    minValiditySeconds: options.minValiditySeconds ?? 30,
    sessionExpiryWarningMs: (options.sessionExpiryWarningSeconds ?? 300) * 1000,
    /** The refresh token's validity counts from the sign-in; rotation never extends it. */
    sessionExpiresAt: (tokens: TokenSet) =>
      validityMs === undefined ? undefined : tokens.signedInAt + validityMs,
  }
}

const moved = ['clock', 'random', 'lock', 'channel', 'lifecycle'] as const

/** 0.1's top-level seams moved into `environment`: say so instead of ignoring them. */
function rejectMovedOptions(options: AuthClientOptions) {
  const given = moved.filter((name) => name in options)
  if (given.length > 0) {
    throw new AuthError('ConfigurationError', `Pass ${given.join(', ')} in \`environment\`.`)
  }
}
