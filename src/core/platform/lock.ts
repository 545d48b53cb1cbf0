/**
 * Cross-tab mutual exclusion. The lock is held only around "read shared state, call the server,
 * write shared state"; never around user code. It is an optimisation of request counts, not a
 * correctness requirement: versioned writes and the server's grace period cover its absence.
 *
 * A plain lock, as Web Locks are: how the refresh uses it (a free lock first, then a wait, and a
 * moment's linger after a write) is the refresh's own policy, in refresh/lockedRun.ts.
 */
import { type Clock, systemClock } from './clock'

/**
 * `busy`: an `ifAvailable` request found the lock held; `timeout`: a waiting request was not
 * granted within `timeoutMs`; `unsupported`: there is no lock to ask (no Web Locks).
 */
export type LockResult<T> =
  { acquired: true; value: T } | { acquired: false; reason: 'busy' | 'timeout' | 'unsupported' }

export interface LockRequestOptions {
  /** Take the lock only if it is free now; else resolve at once with `busy`. */
  ifAvailable?: boolean
  /** Stop waiting after this long and resolve with `timeout`. Without it, wait until granted. */
  timeoutMs?: number
}

export interface Lock {
  /**
   * Runs `fn` holding the exclusive lock `name` and releases it when `fn` settles. Resolves with
   * `fn`'s value, rejects with its error, or resolves `acquired: false` when `fn` never ran.
   */
  request<T>(
    name: string,
    options: LockRequestOptions,
    fn: () => Promise<T>,
  ): Promise<LockResult<T>>
}

interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; mode?: 'exclusive'; ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>
}

function lockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : undefined
}

/**
 * Web Locks (`navigator.locks`), looked up when used. Reports `unsupported` where missing. The
 * acquire timeout runs on `clock` (the client passes its own).
 */
export function webLock(options: { clock?: Clock } = {}): Lock {
  const clock = options.clock ?? systemClock
  return {
    async request<T>(
      name: string,
      { ifAvailable, timeoutMs }: LockRequestOptions,
      fn: () => Promise<T>,
    ) {
      const locks = lockManager()
      if (locks === undefined) return { acquired: false, reason: 'unsupported' } as const
      // Web Locks take no signal beside ifAvailable: the timeout is for a request that waits.
      const controller = new AbortController()
      const timer =
        timeoutMs === undefined || ifAvailable === true
          ? undefined
          : clock.setTimeout(() => controller.abort(), timeoutMs)
      let granted = false
      try {
        const value = await locks.request(
          name,
          ifAvailable === true
            ? { mode: 'exclusive', ifAvailable }
            : { mode: 'exclusive', signal: controller.signal },
          (lock) => {
            clock.clearTimeout(timer)
            if (lock === null) return Promise.resolve(undefined)
            granted = true
            return fn()
          },
        )
        return granted
          ? ({ acquired: true, value: value as T } as const)
          : ({ acquired: false, reason: 'busy' } as const)
      } catch (error) {
        // An abort before the grant is our timeout; anything thrown after the grant is fn's own.
        if (!granted) return { acquired: false, reason: 'timeout' } as const
        throw error
      } finally {
        clock.clearTimeout(timer)
      }
    },
  }
}

/** No cross-tab exclusion: for a single tab, or storage that is private to the tab anyway. */
export const noLock: Lock = {
  request: async (_name, _options, fn) => ({ acquired: true, value: await fn() }),
}
