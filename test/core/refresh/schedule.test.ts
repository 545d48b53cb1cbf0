import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  jitterSpanMs,
  leadTimeMs,
  maxJitterMs,
  refreshDueAt,
} from '../../../src/core/refresh/schedule'

const SEC = 1_000
const MIN = 60 * SEC
const HOUR = 60 * MIN

/** A token received at 0 that lives `lifetime`; how long before expiry it is due for `jitter`. */
const dueBefore = (lifetime: number, jitter: number) =>
  lifetime - refreshDueAt({ receivedAt: 0, expiresAt: lifetime }, jitter)

describe('jitterSpanMs', () => {
  it('is 10% of the lifetime, at most ten minutes', () => {
    expect(jitterSpanMs(5 * SEC)).toBe(500)
    expect(jitterSpanMs(5 * MIN)).toBe(30 * SEC)
    expect(jitterSpanMs(HOUR)).toBe(6 * MIN)
    expect(jitterSpanMs(100 * MIN)).toBe(10 * MIN)
    expect(jitterSpanMs(24 * HOUR)).toBe(maxJitterMs)
    expect(maxJitterMs).toBe(10 * MIN)
    expect(jitterSpanMs(0)).toBe(0)
  })
})

describe('refreshDueAt', () => {
  // [token lifetime, lead time (jitter 0), jitter window]: 5 min, 1 h and 1 day tokens.
  it.each([
    ['a 5-minute token 60 to 90 s', 5 * MIN, 60 * SEC, 30 * SEC],
    ['1-hour tokens over six minutes: 5 to 11 min', HOUR, 5 * MIN, 6 * MIN],
    ['a day-long token 5 to 15 min', 24 * HOUR, 5 * MIN, 10 * MIN],
  ])('refreshes %s before expiry', (_, lifetime, lead, window) => {
    expect(dueBefore(lifetime, 0)).toBe(lead)
    expect(dueBefore(lifetime, 0.5)).toBe(lead + window / 2)
    expect(dueBefore(lifetime, 0.9999)).toBeLessThan(lead + window)
    expect(dueBefore(lifetime, 0.9999)).toBeGreaterThan(lead + window * 0.999)
  })

  it('keeps the lead time as the margin and never refreshes in the first 40% of a lifetime', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 24 * HOUR }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (lifetime, jitter) => {
          const before = dueBefore(lifetime, jitter)
          const ulp = 1e-6 // floating-point rounding, in ms
          expect(before).toBeGreaterThanOrEqual(leadTimeMs(lifetime) - ulp)
          expect(before).toBeLessThanOrEqual(leadTimeMs(lifetime) + jitterSpanMs(lifetime) + ulp)
          expect(before).toBeLessThanOrEqual(lifetime * 0.6 + ulp)
          if (lifetime >= 5 * MIN) expect(before).toBeGreaterThanOrEqual(MIN)
        },
      ),
    )
  })

  it('costs a day-long token under 1% more refreshes than no jitter, a 1-hour token under 6%', () => {
    // Each client refreshes every (lifetime - lead - jitter * span): the mean rate over jitter.
    const extra = (lifetime: number) => {
      const period = lifetime - leadTimeMs(lifetime)
      const span = jitterSpanMs(lifetime)
      return (period / span) * Math.log(period / (period - span)) - 1
    }
    expect(extra(24 * HOUR)).toBeLessThan(0.01)
    expect(extra(HOUR)).toBeGreaterThan(0.05)
    expect(extra(HOUR)).toBeLessThan(0.06)
    expect(extra(5 * MIN)).toBeLessThan(0.07)
  })
})
