import type { Clock, TimerHandle } from '../../src/core/platform/clock'
import type { Lock, LockRequestOptions, LockResult } from '../../src/core/platform/lock'

/**
 * Web Locks as the browser gives them, on the test's clock: a FIFO exclusive lock per name,
 * `ifAvailable` (`busy` while anyone holds or waits), an acquire timeout, the locks of a closed tab released (its callback abandoned, as when a page
 * goes away), a lock held by a stalled foreign holder, and a mode without Web Locks at all.
 */
interface Waiter {
  tab: number
  grant(): void
  drop(): void
}

interface Holder {
  tab: number | 'stall'
}

export function createTimedLockManager(clock: Clock) {
  const queues = new Map<string, Waiter[]>()
  const holders = new Map<string, Holder>()
  let supported = true
  const stats = { granted: 0, busy: 0, timeouts: 0, unsupported: 0, maxHeld: 0 }

  const pump = (name: string) => {
    if (holders.has(name)) return
    const next = queues.get(name)?.shift()
    next?.grant()
  }

  const release = (name: string, holder: Holder) => {
    if (holders.get(name) !== holder) return // already released by a tab close
    holders.delete(name)
    pump(name)
  }

  function forTab(tab: number): Lock {
    return {
      request<T>(
        name: string,
        { ifAvailable, timeoutMs }: LockRequestOptions,
        fn: () => Promise<T>,
      ): Promise<LockResult<T>> {
        if (!supported) {
          stats.unsupported++
          return Promise.resolve({ acquired: false, reason: 'unsupported' })
        }
        if (ifAvailable === true && (holders.has(name) || (queues.get(name)?.length ?? 0) > 0)) {
          stats.busy++
          return Promise.resolve({ acquired: false, reason: 'busy' })
        }
        return new Promise<LockResult<T>>((resolve, reject) => {
          const queue = queues.get(name) ?? []
          queues.set(name, queue)
          const waiter: Waiter = {
            tab,
            grant() {
              if (timer !== undefined) clock.clearTimeout(timer)
              const holder: Holder = { tab }
              holders.set(name, holder)
              stats.granted++
              stats.maxHeld = Math.max(stats.maxHeld, holders.size)
              fn().then(
                (value) => {
                  release(name, holder)
                  resolve({ acquired: true, value })
                },
                (error: unknown) => {
                  release(name, holder)
                  reject(error)
                },
              )
            },
            drop() {
              if (timer !== undefined) clock.clearTimeout(timer)
            },
          }
          // Read by grant() and drop(), which run only after this line.
          const timer: TimerHandle | undefined =
            timeoutMs === undefined
              ? undefined
              : clock.setTimeout(() => {
                  const index = queue.indexOf(waiter)
                  if (index < 0) return
                  queue.splice(index, 1)
                  stats.timeouts++
                  resolve({ acquired: false, reason: 'timeout' })
                }, timeoutMs)
          queue.push(waiter)
          pump(name)
        })
      },
    }
  }

  return {
    stats,
    forTab,
    /** A closed tab: its held locks go to the next waiter, its queued requests vanish. */
    closeTab(tab: number) {
      for (const [name, queue] of queues) {
        for (const waiter of queue.filter((w) => w.tab === tab)) {
          waiter.drop()
          queue.splice(queue.indexOf(waiter), 1)
        }
        const holder = holders.get(name)
        if (holder?.tab === tab) release(name, holder)
      }
    },
    /** Something else holds `name` for `ms` (a hung tab): waiters time out meanwhile. */
    stall(name: string, ms: number) {
      const queue = queues.get(name) ?? []
      queues.set(name, queue)
      const holder: Holder = { tab: 'stall' }
      queue.unshift({
        tab: -1,
        grant() {
          holders.set(name, holder)
          clock.setTimeout(() => release(name, holder), ms)
        },
        drop: () => undefined,
      })
      pump(name)
    },
    /** Without Web Locks (older Safari, some embedded webviews): every request says `unsupported`. */
    setSupported(value: boolean) {
      supported = value
    },
    /** True while somebody holds or waits for a lock. */
    get busy() {
      return holders.size > 0 || [...queues.values()].some((q) => q.length > 0)
    },
  }
}

export type TimedLockManager = ReturnType<typeof createTimedLockManager>
