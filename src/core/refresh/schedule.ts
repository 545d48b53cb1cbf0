/**
 * When to refresh. The lead time scales with the token's lifetime (Cognito allows 5 minutes to a
 * day), and each client refreshes a little earlier by its own random jitter so that tabs and
 * users spread out instead of hitting the account-wide quota together.
 */
import type { TokenSet } from '../tokens'

export const minLeadMs = 60_000
export const maxLeadMs = 5 * 60_000
/** A timer can be late (sleep, throttled background tab); this wall-clock check catches it. */
export const watchdogIntervalMs = 5_000

/** clamp(20% of lifetime, 60 s, 5 min), but never more than half the lifetime. */
export function leadTimeMs(lifetimeMs: number): number {
  const scaled = Math.min(Math.max(lifetimeMs * 0.2, minLeadMs), maxLeadMs)
  return Math.max(0, Math.min(scaled, lifetimeMs / 2))
}

/**
 * The longest jitter window. With 1-hour tokens a minute barely spreads clients that refreshed
 * together (a shift signing in at 09:00, or recovering from an outage at once): an hour later they
 * are still together, over the account's quota (bench/herd.mjs). Ten minutes costs a day-long
 * token under 1% more refreshes.
 */
export const maxJitterMs = 10 * 60_000

/**
 * The jitter window: 10% of the lifetime, at most 10 minutes (30 s for 5-minute tokens, 6 min
 * for 1 hour, 10 min for a day). Jitter only ever makes a refresh earlier: the lead time stays
 * the margin.
 */
export function jitterSpanMs(lifetimeMs: number): number {
  return Math.max(0, Math.min(lifetimeMs * 0.1, maxJitterMs))
}

/** What the schedule needs of a token set (the version only for the floor). */
type Timing = Pick<TokenSet, 'expiresAt' | 'receivedAt'> & { version?: number }

/** `jitter` is this client's fixed random number in [0, 1). */
export function refreshDueAt(
  tokens: Timing,
  jitter: number,
  minIntervalMs = defaultMinRefreshIntervalMs,
): number {
  const lifetime = tokens.expiresAt - tokens.receivedAt
  const due = tokens.expiresAt - leadTimeMs(lifetime) - jitter * jitterSpanMs(lifetime)
  return Math.max(due, floorAt(tokens, minIntervalMs) ?? due)
}

/** @see AuthClientOptions.minRefreshIntervalMs */
export const defaultMinRefreshIntervalMs = 30_000
/** The longest wait the floor grows to. */
export const maxFloorMs = 5 * 60_000

/**
 * Cognito issues access tokens for 5 minutes at least. Tokens that live less than `minIntervalMs`
 * come from a misconfigured pool, proxy or backend: refreshing them on their own schedule (or on
 * every read, once expired) would hammer Cognito. Their session is not refreshed again before
 * `minIntervalMs` after they arrived, doubled for every further refresh of the session (the
 * version), up to 5 minutes. A sign-in's own tokens are not held back. Undefined for tokens with a sane lifetime: nothing changes for them.
 */
export function floorAt(tokens: Timing, minIntervalMs: number): number | undefined {
  // A sign-in's tokens (version 1) are refreshed when due, whatever their lifetime: only a refresh
  // that answered with an odd lifetime says something is wrong.
  const refreshes = (tokens.version ?? 1) - 1
  if (refreshes < 1 || tokens.expiresAt - tokens.receivedAt >= minIntervalMs) return undefined
  const doubled = minIntervalMs * 2 ** Math.min(refreshes - 1, 16)
  return tokens.receivedAt + Math.min(Math.max(doubled, minIntervalMs), maxFloorMs)
}

/** A requested minimum validity, capped at half the lifetime so short tokens do not loop. */
export function effectiveMinValidityMs(tokens: TokenSet, minValiditySeconds: number): number {
  const lifetime = tokens.expiresAt - tokens.receivedAt
  return Math.max(0, Math.min(minValiditySeconds * 1000, lifetime / 2))
}

export function needsRefresh(tokens: TokenSet, now: number, minValiditySeconds: number): boolean {
  return tokens.expiresAt - now <= effectiveMinValidityMs(tokens, minValiditySeconds)
}
