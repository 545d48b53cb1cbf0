import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  backoffCapMs,
  backoffDelay,
  defaultBackoff,
  maxRetryAfterMs,
} from '../../../src/core/refresh/backoff'
import { parseRetryAfter } from '../../../src/core/transports/http'

const MIN = 60_000
const top = () => 0.9999999

describe('backoffDelay', () => {
  it('draws from [0, min(max, base * 2^attempt)) (full jitter)', () => {
    const ceilings = [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]
    ceilings.forEach((ceiling, attempt) => {
      expect(backoffDelay(attempt, () => 0)).toBe(0)
      expect(backoffDelay(attempt, () => 0.9999999)).toBe(ceiling - 1)
    })
  })

  it('never waits less than Retry-After, nor longer than five minutes for it', () => {
    expect(backoffDelay(0, () => 0.5, {}, 20_000)).toBe(20_000)
    expect(backoffDelay(10, () => 0.9, {}, 1_000)).toBe(54_000)
    expect(backoffDelay(0, () => 0, {}, 3_600_000)).toBe(maxRetryAfterMs)
  })

  it('does not overflow for large attempt numbers', () => {
    expect(backoffDelay(10_000, () => 0.5)).toBe(30_000)
    expect(backoffDelay(10_000, () => 0.5, {}, undefined, 60 * MIN)).toBe(150_000)
  })

  it('caps at half the time to expiry, between a minute and five minutes', () => {
    const cap = (remainingMs: number | undefined) =>
      backoffDelay(40, top, {}, undefined, remainingMs) + 1
    expect(cap(undefined)).toBe(MIN) // unknown: as near expiry
    expect(cap(30_000)).toBe(MIN)
    expect(cap(2 * MIN)).toBe(MIN)
    expect(cap(4 * MIN)).toBe(2 * MIN)
    expect(cap(6 * MIN)).toBe(3 * MIN)
    expect(cap(10 * MIN)).toBe(5 * MIN)
    expect(cap(24 * 60 * MIN)).toBe(defaultBackoff.maxMs)
  })

  it('lets the cap grow again the longer the token has been expired (a long outage)', () => {
    const cap = (remainingMs: number) => backoffDelay(40, top, {}, undefined, remainingMs) + 1
    expect(cap(0)).toBe(MIN)
    expect(cap(-MIN)).toBe(MIN)
    expect(cap(-4 * MIN)).toBe(2 * MIN)
    expect(cap(-30 * MIN)).toBe(5 * MIN)
  })

  it('keeps the first retries quick however long the token is still valid', () => {
    expect(backoffDelay(0, top, {}, undefined, 60 * MIN)).toBe(999)
    expect(backoffDelay(3, top, {}, undefined, 60 * MIN)).toBe(7_999)
    expect(backoffDelay(6, top, {}, undefined, 60 * MIN)).toBe(63_999)
  })

  it('treats a remaining validity that is not a finite number as unknown', () => {
    expect(backoffCapMs(Number.NaN, defaultBackoff.maxMs)).toBe(MIN)
    expect(backoffCapMs(Number.POSITIVE_INFINITY, defaultBackoff.maxMs)).toBe(MIN)
  })

  it('never waits longer than maxMs, which also restores a flat cap', () => {
    expect(backoffDelay(40, top, { maxMs: 8_000 }, undefined, 60 * MIN)).toBe(7_999)
    for (const remaining of [undefined, -60 * MIN, 0, 10 * MIN, 60 * MIN]) {
      expect(backoffDelay(40, top, { maxMs: MIN }, undefined, remaining)).toBe(MIN - 1)
    }
    expect(backoffDelay(40, top, { maxMs: 10 * MIN }, undefined, 60 * MIN)).toBe(10 * MIN - 1)
    expect(backoffDelay(40, top, { maxMs: 10 * MIN }, undefined, 8 * MIN)).toBe(4 * MIN - 1)
    expect(backoffDelay(2, top, { baseMs: 10_000 }, undefined, 60 * MIN)).toBe(39_999)
  })

  it('keeps Retry-After a floor (capped at five minutes) whatever the validity', () => {
    expect(backoffDelay(0, () => 0, {}, 20_000, 60 * MIN)).toBe(20_000)
    expect(backoffDelay(0, () => 0, {}, 3_600_000, 30_000)).toBe(maxRetryAfterMs)
    expect(backoffDelay(40, () => 0.9, {}, 1_000, 10 * MIN)).toBe(270_000)
  })

  it('never retries sooner than the flat one-minute cap did, and retries in time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: -24 * 60 * MIN, max: 24 * 60 * MIN }),
        (attempt, r, remaining) => {
          const delay = backoffDelay(attempt, () => r, {}, undefined, remaining)
          const flat = backoffDelay(attempt, () => r, { maxMs: MIN })
          expect(delay).toBeGreaterThanOrEqual(flat)
          expect(delay).toBeLessThan(defaultBackoff.maxMs)
          // Before half the remaining validity has passed, or within a minute near expiry.
          expect(delay).toBeLessThan(Math.max(MIN, Math.abs(remaining) / 2))
        },
      ),
    )
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('Sat, 21 Nov 2026 12:00:00 GMT')
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('-1', now)).toBeUndefined()
  })
})
