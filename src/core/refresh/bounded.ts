import type { Clock } from '../platform/clock'
import { AuthError } from '../errors'

export interface Bounded<T> {
  promise: Promise<T>
  /** Aborts the signal `work` was given and rejects with `AbortError`. */
  abort(): void
}

/**
 * Runs `work` with a signal of its own, aborted after `timeoutMs` (rejecting with `TimeoutError`)
 * or by `abort()` (rejecting with `AbortError`). It settles then even if `work` ignores its signal,
 * as a custom transport may: no call can hang the client.
 */
export function bounded<T>(
  clock: Clock,
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Bounded<T> {
  const controller = new AbortController()
  let fail!: (error: AuthError) => void
  const stopped = new Promise<never>((_, reject) => (fail = reject))
  const stop = (error: AuthError) => {
    fail(error)
    controller.abort(error)
  }
  const timer = clock.setTimeout(
    () => stop(new AuthError('TimeoutError', `The call took longer than ${timeoutMs} ms.`)),
    timeoutMs,
  )
  const promise = Promise.race([work(controller.signal), stopped]).finally(() =>
    clock.clearTimeout(timer),
  )
  return { promise, abort: () => stop(new AuthError('AbortError', 'The call was cancelled.')) }
}
