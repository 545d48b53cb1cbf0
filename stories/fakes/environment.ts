/**
 * In-memory stand-ins for what tabs share in a browser: a BroadcastChannel hub, a Web Locks style
 * mutex, and localStorage. Several story clients on one environment behave like tabs of one
 * origin, inside one Storybook frame.
 */
import type { Channel, Lock, LockResult, StorageAdapter } from 'react-cognito-refresh/core'

/** Messages are delivered asynchronously and never back to the sender, like BroadcastChannel. */
export function createChannelHub() {
  const members = new Set<{ listeners: Set<(m: unknown) => void>; closed: boolean }>()
  return {
    channel(): Channel {
      const self = { listeners: new Set<(m: unknown) => void>(), closed: false }
      members.add(self)
      return {
        post(message) {
          if (self.closed) return
          const copy = structuredClone(message)
          for (const other of members) {
            if (other === self || other.closed) continue
            queueMicrotask(() => other.listeners.forEach((l) => l(structuredClone(copy))))
          }
        },
        subscribe(listener) {
          self.listeners.add(listener)
          return () => void self.listeners.delete(listener)
        },
        close() {
          self.closed = true
          members.delete(self)
        },
      }
    },
  }
}

/** A FIFO mutex per name, like navigator.locks in exclusive mode (no acquire timeout). */
export function createLockManager(): Lock {
  const tails = new Map<string, Promise<void>>()
  /** Holders and waiters per name: `ifAvailable` is granted only at zero. */
  const queued = new Map<string, number>()
  const count = (name: string, by: number) => queued.set(name, (queued.get(name) ?? 0) + by)
  return {
    async request<T>(
      name: string,
      options: Parameters<Lock['request']>[1],
      fn: () => Promise<T>,
    ): Promise<LockResult<T>> {
      if (options.ifAvailable === true && (queued.get(name) ?? 0) > 0) {
        return { acquired: false, reason: 'busy' }
      }
      count(name, 1)
      const previous = tails.get(name) ?? Promise.resolve()
      let release!: () => void
      const mine = new Promise<void>((resolve) => (release = resolve))
      tails.set(
        name,
        previous.then(() => mine),
      )
      await previous
      try {
        return { acquired: true, value: await fn() }
      } finally {
        count(name, -1)
        release()
      }
    },
  }
}

/** A Map that says it is shared, like localStorage across tabs. */
export function sharedStorage(map = new Map<string, string>()): StorageAdapter {
  return {
    shared: true,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  }
}

/** What the tabs of one story share. */
export function createSharedEnvironment() {
  const hub = createChannelHub()
  return { hub, lock: createLockManager(), storage: sharedStorage() }
}

export type SharedEnvironment = ReturnType<typeof createSharedEnvironment>
