/**
 * A minimal external store: the `useSyncExternalStore` contract. Snapshots are replaced, never
 * mutated; setting an identical snapshot notifies no one.
 */
export interface Store<T> {
  getSnapshot(): T
  subscribe(listener: () => void): () => void
}

export interface WritableStore<T> extends Store<T> {
  setState(next: T): void
}

export function createStore<T>(initial: T): WritableStore<T> {
  let state = initial
  const listeners = new Set<() => void>()
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    setState(next) {
      if (Object.is(next, state)) return
      state = next
      for (const listener of [...listeners]) listener()
    },
  }
}
