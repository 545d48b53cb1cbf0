/**
 * When to refresh. The lead time scales with the token's lifetime (Cognito allows 5 minutes to a
 * day), and each client refreshes a little earlier by its own random jitter so that tabs and
 * users spread out instead of hitting the account-wide quota together.
 */
import type { TokenSet } from './tokens'

export const minLeadMs = 60_000
export const maxLeadMs = 5 * 60_000
/** A timer can be late (sleep, throttled background tab); this wall-clock check catches it. */
export const watchdogIntervalMs = 5_000

/** clamp(20% of lifetime, 60 s, 5 min), but never more than half the lifetime. */
export function leadTimeMs(lifetimeMs: number): number {
  const scaled = Math.min(Math.max(lifetimeMs * 0.2, minLeadMs), maxLeadMs)
  return Math.max(0, Math.min(scaled, lifetimeMs / 2))
}

/** The jitter window: up to 10% of the lifetime, at most a minute. */
export function jitterSpanMs(lifetimeMs: number): number {
  return Math.max(0, Math.min(lifetimeMs * 0.1, 60_000))
}

/** `jitter` is this client's fixed random number in [0, 1). */
export function refreshDueAt(tokens: TokenSet, jitter: number): number {
  const lifetime = tokens.expiresAt - tokens.receivedAt
  return tokens.expiresAt - leadTimeMs(lifetime) - jitter * jitterSpanMs(lifetime)
}

/** A requested minimum validity, capped at half the lifetime so short tokens do not loop. */
export function effectiveMinValidityMs(tokens: TokenSet, minValiditySeconds: number): number {
  const lifetime = tokens.expiresAt - tokens.receivedAt
  return Math.max(0, Math.min(minValiditySeconds * 1000, lifetime / 2))
}

export function needsRefresh(tokens: TokenSet, now: number, minValiditySeconds: number): boolean {
  return tokens.expiresAt - now <= effectiveMinValidityMs(tokens, minValiditySeconds)
}
