/**
 * Time, injected. The system clock wraps the globals in arrow functions at call time (never at
 * import), so fake timers installed later still take effect and nothing runs on import.
 */
export type TimerHandle = unknown

export interface Clock {
  /** Milliseconds since the epoch (wall-clock time). */
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** setTimeout fires at once for delays above 2^31 - 1 ms (about 24.8 days); we cap below it. */
export const maxTimerDelayMs = 2 ** 31 - 1

export function cappedDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0
  return Math.min(ms, maxTimerDelayMs)
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, cappedDelay(ms)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
}
