/**
 * How the playground and the stories put numbers, ids and errors into words. Pure functions, so
 * each wording is pinned by a unit test (test/playground/format.test.ts).
 */
import { fingerprint } from './fingerprint'

/**
 * A duration for a countdown: one decimal under 10 s, whole seconds under 2 min, then minutes and
 * seconds. Rounds once, before splitting, so 3599.6 s reads "60 min 0 s", never "59 min 60 s".
 */
export function formatDuration(ms: number): string {
  const s = Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0
  const tenths = Math.round(s * 10) / 10
  if (tenths < 10) return `${tenths.toFixed(1)} s`
  const whole = Math.round(s)
  if (whole < 120) return `${whole} s`
  return `${Math.floor(whole / 60)} min ${whole % 60} s`
}

/** "1 event", "2 events", "0 events". */
export function plural(count: number, noun: string, nounPlural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nounPlural}`
}

/**
 * A short, stable label for a session id. Ids are UUIDs in a browser but any string in tests and
 * stories (a seeded random gives "1.weeeeeee…"), so a prefix can be unreadable or shared by two
 * sessions; a one-way hash is always six characters and differs between sessions.
 */
export function shortSessionId(sessionId: string): string {
  return fingerprint(sessionId).slice(0, 6)
}

/**
 * An error's message without a leading copy of its code: transports write messages like
 * "NotAuthorizedException: Invalid Refresh Token.", and the page shows the code beside it already.
 */
export function errorDetail(error: { code: string; message: string }): string {
  const prefix = `${error.code}: `
  const detail = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message
  return detail.trim() === '' ? error.message : detail
}

/**
 * What the "Next refresh" figure says. While retrying, the retry's own time (from the last
 * `refreshFailed` event), not the token's refresh window, which has usually passed by then.
 */
export function nextRefreshText(input: {
  now: number
  refresh: 'idle' | 'refreshing' | 'retrying'
  /** Epoch ms of the next retry, if a failure announced one. */
  retryAt: number | undefined
  /** Start and end of this tab's refresh window. */
  earliest: number
  latest: number
}): string {
  const { now, refresh, retryAt, earliest, latest } = input
  if (refresh === 'refreshing') return 'refreshing now'
  if (refresh === 'retrying') {
    if (retryAt === undefined) return 'retrying'
    return retryAt > now ? `retry in ${formatDuration(retryAt - now)}` : 'retrying now'
  }
  if (earliest > now) return `in ${formatDuration(earliest - now)}`
  return latest > now ? 'due now' : 'overdue'
}
