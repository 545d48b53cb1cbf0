/**
 * Full-jitter exponential backoff (a random delay in [0, min(cap, base * 2^attempt))), so that
 * clients that failed together do not retry together. A server's Retry-After is a floor.
 *
 * The cap follows the access token: half the time until it expires (or since it expired), between
 * a minute and `maxMs`. A client whose token is still good for ten minutes has no reason to retry
 * every minute, and after an outage such clients would otherwise all come back within the same
 * minute; one whose token lapses within two minutes retries as fast as ever (at most a minute
 * apart). After a long outage (tokens expired for minutes) the cap grows again: the backlog is then
 * large and drains at the account's quota however often the clients knock.
 */
export interface BackoffOptions {
  /** @default 1000 */
  baseMs?: number
  /** The longest wait. `maxMs: 60_000` restores a flat one-minute cap. @default 300000 */
  maxMs?: number
}

export const defaultBackoff = { baseMs: 1_000, maxMs: 5 * 60_000 } as const

/** The cap near expiry (either side of it), when `maxMs` allows it. */
export const nearExpiryCapMs = 60_000

/** A Retry-After longer than this is treated as this: the user's session matters more. */
export const maxRetryAfterMs = 5 * 60_000

/**
 * The backoff cap for an access token that expires in `remainingMs` (negative: expired that long
 * ago). Without it (unknown), the cap near expiry.
 */
export function backoffCapMs(remainingMs: number | undefined, maxMs: number): number {
  const distance =
    remainingMs !== undefined && Number.isFinite(remainingMs) ? Math.abs(remainingMs) : 0
  return Math.min(maxMs, Math.max(nearExpiryCapMs, distance / 2))
}

/**
 * `remainingMs`: how long the current access token is still valid (negative once expired); it
 * sets the cap (see above). Leaving it out gives the cap near expiry.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = {},
  retryAfterMs?: number,
  remainingMs?: number,
): number {
  const base = options.baseMs ?? defaultBackoff.baseMs
  const max = options.maxMs ?? defaultBackoff.maxMs
  const ceiling = Math.min(backoffCapMs(remainingMs, max), base * 2 ** Math.min(attempt, 30))
  const jittered = Math.floor(random() * ceiling)
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return jittered
  return Math.max(jittered, Math.min(retryAfterMs, maxRetryAfterMs))
}
