/**
 * Cross-tab mutual exclusion. The lock is held only around "read shared state, call the server,
 * write shared state"; never around user code. It is an optimisation of request counts, not a
 * correctness requirement: versioned writes and the server's grace period cover its absence.
 */
export type LockResult<T> =
  { acquired: true; value: T } | { acquired: false; reason: 'timeout' | 'unsupported' }

export interface Lock {
  /** `fn` learns whether another holder had the lock first (`contended`). */
  request<T>(
    name: string,
    timeoutMs: number,
    fn: (contended?: boolean) => Promise<T>,
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

/** Web Locks (`navigator.locks`), looked up when used. Reports `unsupported` where missing. */
export function webLock(): Lock {
  return {
    async request<T>(name: string, timeoutMs: number, fn: (contended?: boolean) => Promise<T>) {
      const locks = lockManager()
      if (locks === undefined) return { acquired: false, reason: 'unsupported' } as const
      // First without waiting: if the lock is free nobody refreshed just before us.
      let value: T | undefined
      let free = false
      await locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
        if (lock === null) return
        free = true
        value = await fn(false)
      })
      if (free) return { acquired: true, value: value as T } as const
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), timeoutMs)
      let acquired = false
      try {
        await locks.request(name, { signal: controller.signal, mode: 'exclusive' }, async () => {
          acquired = true
          clearTimeout(timer)
          value = await fn(true)
        })
      } catch (error) {
        // An abort before the grant is our timeout; anything thrown after the grant is fn's own.
        if (!acquired) return { acquired: false, reason: 'timeout' } as const
        throw error
      } finally {
        clearTimeout(timer)
      }
      return { acquired: true, value: value as T } as const
    },
  }
}

/** No cross-tab exclusion: for a single tab, or storage that is private to the tab anyway. */
export const noLock: Lock = {
  request: async (_name, _timeoutMs, fn) => ({ acquired: true, value: await fn() }),
}
