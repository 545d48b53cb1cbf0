import type { Channel } from '../../src/core/platform/channel'
import type { Lifecycle, WakeReason } from '../../src/core/platform/lifecycle'
import type { Lock, LockRequestOptions, LockResult } from '../../src/core/platform/lock'

/** A lifecycle source the test fires by hand. */
export function createManualLifecycle() {
  const listeners = new Set<(reason: WakeReason) => void>()
  const lifecycle: Lifecycle = (onWake) => {
    listeners.add(onWake)
    return () => void listeners.delete(onWake)
  }
  return {
    lifecycle,
    fire: (reason: WakeReason) => listeners.forEach((l) => l(reason)),
    get listenerCount() {
      return listeners.size
    },
  }
}

/**
 * In-process stand-ins for BroadcastChannel and Web Locks, shared by the "tabs" of one test.
 * Messages are delivered asynchronously (like the real channel), never to the sender.
 */
export function createChannelHub() {
  const members = new Set<{ listeners: Set<(m: unknown) => void>; closed: boolean }>()
  const log: unknown[] = []
  return {
    log,
    channel(): Channel & { readonly listenerCount: number } {
      const self = { listeners: new Set<(m: unknown) => void>(), closed: false }
      members.add(self)
      return {
        post(message) {
          if (self.closed) return
          const copy = structuredClone(message)
          log.push(copy)
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
        get listenerCount() {
          return self.listeners.size
        },
      }
    },
    /** Sends a message as if from another library or tab. */
    inject(message: unknown) {
      for (const member of members) member.listeners.forEach((l) => l(message))
    },
  }
}

/** A FIFO mutex per name, like navigator.locks in exclusive mode (no acquire timeout). */
export function createLockManager() {
  const tails = new Map<string, Promise<void>>()
  /** Holders and waiters per name: `ifAvailable` is granted only at zero. */
  const queued = new Map<string, number>()
  const count = (name: string, by: number) => queued.set(name, (queued.get(name) ?? 0) + by)
  let held = 0
  let maxHeld = 0
  const lock: Lock = {
    async request<T>(
      name: string,
      options: LockRequestOptions,
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
      held++
      maxHeld = Math.max(maxHeld, held)
      try {
        return { acquired: true, value: await fn() }
      } finally {
        held--
        count(name, -1)
        release()
      }
    },
  }
  return {
    lock,
    get maxHeld() {
      return maxHeld
    },
  }
}
