/**
 * Cross-tab mutual exclusion. The lock is held only around "read shared state, call the server,
 * write shared state"; never around user code. It is an optimisation of request counts, not a
 * correctness requirement: versioned writes and the server's grace period cover its absence.
 */
export type LockResult<T> =
  { acquired: true; value: T } | { acquired: false; reason: 'timeout' | 'unsupported' }

export interface Lock {
  /**
   * `fn` learns whether another holder had the lock first (`contended`). With `linger`, the lock
   * is kept after `fn` settles until the promise `linger(value)` returns settles, while the result
   * is returned at once: a tab that comes just after then waits, and sees itself as contended
   * instead of reading storage too early.
   */
  request<T>(
    name: string,
    timeoutMs: number,
    fn: (contended?: boolean) => Promise<T>,
    linger?: (value: T) => Promise<void> | undefined,
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
    async request<T>(
      name: string,
      timeoutMs: number,
      fn: (contended?: boolean) => Promise<T>,
      linger?: (value: T) => Promise<void> | undefined,
    ) {
      const locks = lockManager()
      if (locks === undefined) return { acquired: false, reason: 'unsupported' } as const
      // The result is handed out as soon as `fn` settles; the lock may be held a little longer.
      let settle!: (value: T) => void
      const early = new Promise<T>((resolve) => (settle = resolve))
      const hold = async (contended: boolean) => {
        const value = await fn(contended)
        settle(value)
        await linger?.(value)
      }
      // First without waiting: if the lock is free nobody refreshed just before us.
      let free = false
      const first = locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
        if (lock === null) return
        free = true
        await hold(false)
      })
      await Promise.race([first, early])
      if (free) return { acquired: true, value: await early } as const
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), timeoutMs)
      let acquired = false
      try {
        const second = locks.request(name, { signal: controller.signal, mode: 'exclusive' }, () => {
          acquired = true
          clearTimeout(timer)
          return hold(true)
        })
        await Promise.race([second, early])
      } catch (error) {
        // An abort before the grant is our timeout; anything thrown after the grant is fn's own.
        if (!acquired) return { acquired: false, reason: 'timeout' } as const
        throw error
      } finally {
        clearTimeout(timer)
      }
      return { acquired: true, value: await early } as const
    },
  }
}

/** No cross-tab exclusion: for a single tab, or storage that is private to the tab anyway. */
export const noLock: Lock = {
  request: async (_name, _timeoutMs, fn) => ({ acquired: true, value: await fn() }),
}
