/**
 * The HTTP every transport shares: fetch with a timeout and the caller's signal, failures as typed
 * errors with secrets scrubbed, and the Retry-After header read the same way everywhere.
 */
import { AuthError } from '../errors'
import { type Clock, systemClock } from '../platform/clock'

export interface HttpOptions {
  /** @default globalThis.fetch, looked up at call time */
  fetch?: typeof fetch
  /** Abort a call that takes longer. @default 15000 */
  timeoutMs?: number
}

export const defaultTimeoutMs = 15_000
export const userAgent = 'react-cognito-refresh/0.1'

export interface SendOptions extends HttpOptions {
  url: string
  init: RequestInit
  signal: AbortSignal
  /** Exact strings to scrub from any error text (the refresh token, the client secret). */
  secrets: readonly string[]
  /** Times the call out, and dates a Retry-After. @default systemClock */
  clock?: Clock | undefined
}

/** The clock a call was given, or the system clock for a transport called directly. */
export const clockOf = (options: { clock?: Clock | undefined }): Clock =>
  options.clock ?? systemClock

export interface HttpReply {
  status: number
  headers: Headers
  text: string
  requestId: string | undefined
}

/** fetch with a timeout and the caller's signal; network failures become typed errors. */
export async function send(options: SendOptions): Promise<HttpReply> {
  const { signal } = options
  const clock = clockOf(options)
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  const controller = new AbortController()
  const abort = () => controller.abort()
  let timedOut = false
  const timer = clock.setTimeout(() => {
    timedOut = true
    abort()
  }, timeoutMs)
  if (signal.aborted) abort()
  signal.addEventListener('abort', abort, { once: true })
  try {
    const doFetch = options.fetch ?? globalThis.fetch
    const response = await doFetch(options.url, { ...options.init, signal: controller.signal })
    const { status, headers } = response
    const text = await response.text()
    return { status, headers, text, requestId: headers.get('x-amzn-requestid') ?? undefined }
  } catch (error) {
    if (timedOut) throw new AuthError('TimeoutError', `No reply within ${timeoutMs} ms.`)
    if (signal.aborted)
      throw new AuthError('AbortError', 'The request was aborted.', { kind: 'retryable' })
    // fetch's own errors ("Failed to fetch", ECONNRESET) say why; a custom fetch's may carry the
    // request. The cause keeps a redacted copy either way.
    throw new AuthError('NetworkError', 'The request failed before a reply arrived.', {
      cause: error,
      secrets: options.secrets,
    })
  } finally {
    clock.clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
