/**
 * The client's options with their defaults filled in, in one place: the `@default`s in
 * options.ts and docs/reference/createAuthClient.md name these values.
 */
import { systemClock } from '../platform/clock'
import { browserLifecycle } from '../platform/lifecycle'
import type { AuthClientOptions } from './options'
import { defaultMinRefreshIntervalMs } from '../refresh/schedule'
import type { TokenSet } from '../tokens'

export function resolveClientOptions(options: AuthClientOptions) {
  const random = options.random ?? Math.random
  // Session and tab ids: from an injected `random` (deterministic tests), else the platform's UUIDs.
  let ids = 0
  const randomId = options.random
    ? () =>
        `${(ids++).toString(36)}.${random().toString(36).slice(2)}${random().toString(36).slice(2)}`
    : () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random()}`
  const validityMs =
    options.refreshTokenValiditySeconds === undefined
      ? undefined
      : options.refreshTokenValiditySeconds * 1000
  return {
    clock: options.clock ?? systemClock,
    random,
    randomId,
    key: options.storageKey ?? `react-cognito-refresh.${options.clientId}`,
    lifecycle: options.lifecycle ?? browserLifecycle,
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
