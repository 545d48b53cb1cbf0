/**
 * How a refresh takes the cross-tab lock, on top of a plain lock: first without waiting (a free
 * lock means no tab refreshed just before us: not contended), else waiting up to `timeoutMs`
 * (contended: the previous holder has usually just refreshed). With `linger`, the lock is kept
 * after `fn` settles until the promise `linger(value)` returns settles, while the value is handed
 * out at once: a tab that comes just after then waits, and sees itself as contended instead of
 * reading storage too early.
 */
import type { Lock, LockResult } from '../platform/lock'

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
  // The value is handed out as soon as `fn` settles; the lock may be held a little longer.
  let settle!: (value: T) => void
  const early = new Promise<T>((resolve) => (settle = resolve))
  const granted = early.then((value) => ({ acquired: true, value }) as const)
  const hold = (contended: boolean) => async () => {
    const value = await fn(contended)
    settle(value)
    await linger?.(value)
  }
  const attempt = async (
    request: Promise<LockResult<void>>,
  ): Promise<LockedRunResult<T> | 'busy'> => {
    // fn's error rejects the lock's promise, and so this race.
    const result = await Promise.race([request, granted])
    if (result.acquired) return { acquired: true, value: await early }
    return result.reason === 'busy' ? 'busy' : { acquired: false, reason: result.reason }
  }
  const first = await attempt(lock.request(name, { ifAvailable: true }, hold(false)))
  if (first !== 'busy') return first
  const second = await attempt(lock.request(name, { timeoutMs }, hold(true)))
  // A lock that says `busy` to a request that may wait has not granted it in time.
  return second === 'busy' ? { acquired: false, reason: 'timeout' } : second
}
