/**
 * How a refresh takes the cross-tab lock, on top of a plain lock: first without waiting (a free
 * lock means no tab refreshed just before us: not contended), else waiting up to `timeoutMs`
 * (contended: the previous holder has usually just refreshed). With `linger`, the lock is kept
 * after `fn` settles until the promise `linger(value)` returns settles, while the value is handed
 * out at once: a tab that comes just after then waits, and sees itself as contended instead of
 * reading storage too early.
 */
import type { Lock, LockRequestOptions, LockResult } from '../platform/lock'

/** Why the lock could not be had: every lock's `busy` has become a wait by then. */
export type LockedRunResult<T> =
  { acquired: true; value: T } | { acquired: false; reason: 'timeout' | 'unsupported' }

/** The lock to use, its name, and how long a contended request waits. */
export interface LockedRunOptions {
  lock: Lock
  lockName: string
  lockTimeoutMs: number
}

export async function lockedRun<T>(
  { lock, lockName: name, lockTimeoutMs: timeoutMs }: LockedRunOptions,
  fn: (contended: boolean) => Promise<T>,
  linger?: (value: T) => Promise<void> | undefined,
): Promise<LockedRunResult<T>> {
  // Resolved with the value as soon as `fn` settles, while a linger holds the lock a little longer
  // (a second resolve is ignored). `fn`'s error rejects the lock's promise, and so this one.
  const attempt = (options: LockRequestOptions, contended: boolean) =>
    new Promise<LockResult<T>>((resolve, reject) => {
      lock
        .request(name, options, async () => {
          const value = await fn(contended)
          const held = linger?.(value)
          if (held !== undefined) {
            resolve({ acquired: true, value })
            await held
          }
          return value
        })
        .then(resolve, reject)
    })
  const first = await attempt({ ifAvailable: true }, false)
  if (first.acquired || first.reason !== 'busy') return first as LockedRunResult<T>
  const second = await attempt({ timeoutMs }, true)
  // A lock that says `busy` to a request that may wait has not granted it in time.
  return second.acquired || second.reason !== 'busy'
    ? (second as LockedRunResult<T>)
    : { acquired: false, reason: 'timeout' }
}
