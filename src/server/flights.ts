/**
 * One refresh per refresh token and instance: refreshes under way or just finished, by the token
 * they spent. A finished answer serves the same token for `reuseWindowMs` (a tab whose request
 * left just before the cookie rotated); a retryable failure may be tried again at once. Evicted
 * oldest first as new refreshes come, or when the map is full: no timers.
 */
import type { Clock } from '../core/platform/clock'
import type { Outcome } from './getSession'

const maxRemembered = 10_000

export function singleFlight(
  run: (refreshToken: string) => Promise<Outcome>,
  clock: Clock,
  reuseWindowMs: number,
) {
  const flights = new Map<string, { outcome: Promise<Outcome>; until: number }>()
  return function flight(refreshToken: string): Promise<Outcome> {
    const known = flights.get(refreshToken)
    if (known !== undefined && clock.now() < known.until) return known.outcome
    flights.delete(refreshToken)
    // Oldest first: answers past their window go, so no spent token stays in memory for long.
    for (const [token, { until }] of flights) {
      if (until > clock.now() && flights.size < maxRemembered) break
      flights.delete(token)
    }
    const entry = { outcome: run(refreshToken), until: Number.POSITIVE_INFINITY }
    flights.set(refreshToken, entry)
    void entry.outcome.then((outcome) => {
      const retry = !outcome.ok && outcome.error.kind === 'retryable'
      entry.until = retry ? 0 : clock.now() + reuseWindowMs
    })
    return entry.outcome
  }
}
