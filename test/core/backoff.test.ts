import { describe, expect, it } from 'vitest'
import { backoffDelay, maxRetryAfterMs, parseRetryAfter } from '../../src/core/backoff'

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
