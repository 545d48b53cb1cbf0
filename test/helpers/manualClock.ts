import type { Clock } from '../../src/core/platform/clock'
import { cappedDelay } from '../../src/core/platform/clock'

/** Lets promise callbacks and queued microtasks run, without real waiting. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve))

interface Timer {
  at: number
  callback: () => void
}

/**
 * A clock the test drives. `advance` fires due timers in order, flushing promises between them;
 * `sleep` moves wall-clock time while pending timers are frozen (as in a suspended laptop).
 */
export class ManualClock implements Clock {
  time: number
  private timers = new Map<number, Timer>()
  private nextId = 1

  constructor(start = Date.UTC(2026, 10, 21, 12)) {
    this.time = start
  }

  now = () => this.time

  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++
    this.timers.set(id, { at: this.time + cappedDelay(ms), callback })
    return id
  }

  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number)
  }

  get pendingTimers(): number {
    return this.timers.size
  }

  /** The delay until the next timer fires, or undefined. */
  get nextTimerIn(): number | undefined {
    let min: number | undefined
    for (const timer of this.timers.values()) min = Math.min(min ?? Infinity, timer.at - this.time)
    return min
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms
    for (let fired = 0; fired < 100_000; fired++) {
      await flush()
      let nextId: number | undefined
      let next: Timer | undefined
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (next === undefined || timer.at < next.at)) {
          next = timer
          nextId = id
        }
      }
      if (next === undefined || nextId === undefined) break
      this.timers.delete(nextId)
      this.time = Math.max(this.time, next.at)
      next.callback()
    }
    this.time = end
    await flush()
  }

  /** Wall-clock time passes but no timer fires, and pending timers are pushed back by `ms`. */
  sleep(ms: number): void {
    this.time += ms
    for (const timer of this.timers.values()) timer.at += ms
  }
}
