/**
 * Full-jitter exponential backoff (a random delay in [0, min(cap, base * 2^attempt))), so that
 * clients that failed together do not retry together. A server's Retry-After is a floor.
 */
export interface BackoffOptions {
  /** @default 1000 */
  baseMs?: number
  /** @default 60000 */
  maxMs?: number
}

export const defaultBackoff = { baseMs: 1_000, maxMs: 60_000 } as const

/** A Retry-After longer than this is treated as this: the user's session matters more. */
export const maxRetryAfterMs = 5 * 60_000

export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = {},
  retryAfterMs?: number,
): number {
  const base = options.baseMs ?? defaultBackoff.baseMs
  const max = options.maxMs ?? defaultBackoff.maxMs
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30))
  const jittered = Math.floor(random() * ceiling)
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return jittered
  return Math.max(jittered, Math.min(retryAfterMs, maxRetryAfterMs))
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
