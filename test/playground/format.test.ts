import { describe, expect, it } from 'vitest'
import {
  errorDetail,
  formatDuration,
  nextRefreshText,
  plural,
  shortSessionId,
} from '../../playground/src/format'

describe('playground wording', () => {
  it('rounds a duration once, so no countdown reads "59 min 60 s"', () => {
    expect(formatDuration(3_599_600)).toBe('60 min 0 s')
    expect(formatDuration(3_599_400)).toBe('59 min 59 s')
    expect(formatDuration(179_700)).toBe('3 min 0 s')
    expect(formatDuration(119_600)).toBe('2 min 0 s')
    expect(formatDuration(119_400)).toBe('119 s')
    expect(formatDuration(9_960)).toBe('10 s')
    expect(formatDuration(4_240)).toBe('4.2 s')
    expect(formatDuration(-5)).toBe('0.0 s')
    expect(formatDuration(Number.NaN)).toBe('0.0 s')
  })

  it('counts in the singular for one', () => {
    expect(plural(1, 'event')).toBe('1 event')
    expect(plural(0, 'event')).toBe('0 events')
    expect(plural(2, 'event')).toBe('2 events')
    expect(plural(1, 'reply', 'replies')).toBe('1 reply')
  })

  it('labels a session with a short stable form that tells sessions apart', () => {
    // Seeded ids in stories look alike: the old 8-character prefix showed both as "1.weeeee".
    const a = '1.weeeeeeeeeeeeweeeeeeeeeeee'
    const b = '1.weeeeeeeeeeeexeeeeeeeeeeee'
    expect(shortSessionId(a)).toMatch(/^[0-9a-f]{6}$/)
    expect(shortSessionId(a)).toBe(shortSessionId(a))
    expect(shortSessionId(a)).not.toBe(shortSessionId(b))
    expect(shortSessionId(a)).not.toContain('weeeee')
  })

  it('prints the error code once', () => {
    const error = {
      code: 'NotAuthorizedException',
      message: 'NotAuthorizedException: Invalid Refresh Token.',
    }
    expect(`${error.code}: ${errorDetail(error)}`).toBe(
      'NotAuthorizedException: Invalid Refresh Token.',
    )
    expect(errorDetail({ code: 'NetworkError', message: 'Failed to fetch' })).toBe(
      'Failed to fetch',
    )
    // A message that is only the code keeps it rather than showing nothing.
    expect(errorDetail({ code: 'HttpError', message: 'HttpError: ' })).toBe('HttpError: ')
  })

  it('counts down to the retry while retrying, not to the passed refresh window', () => {
    const base = { now: 100_000, earliest: 40_000, latest: 60_000 }
    expect(nextRefreshText({ ...base, refresh: 'idle', retryAt: undefined })).toBe('overdue')
    expect(nextRefreshText({ ...base, refresh: 'retrying', retryAt: 141_000 })).toBe(
      'retry in 41 s',
    )
    expect(nextRefreshText({ ...base, refresh: 'retrying', retryAt: 99_000 })).toBe('retrying now')
    expect(nextRefreshText({ ...base, refresh: 'retrying', retryAt: undefined })).toBe('retrying')
    expect(nextRefreshText({ ...base, refresh: 'refreshing', retryAt: undefined })).toBe(
      'refreshing now',
    )
    expect(
      nextRefreshText({ now: 0, earliest: 90_000, latest: 95_000, refresh: 'idle', retryAt: 1 }),
    ).toBe('in 90 s')
  })
})
