/**
 * Where the session is kept: the synchronous subset of the Web Storage API, so a compare-and-set
 * can read and write without yielding. Adapters never throw: a storage that is full, disabled or
 * missing behaves like an empty one.
 */
export interface StorageAdapter {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
  /** True when other tabs see the same data (localStorage); the client then coordinates tabs. */
  readonly shared?: boolean
}

export function memoryStorage(): StorageAdapter {
  const map = new Map<string, string>()
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  }
}

function webStorage(pick: () => Storage | undefined, shared: boolean): StorageAdapter {
  // Looked up on every call, never at import: SSR has no window, and Safari's private mode or a
  // blocked-cookies policy can throw on access.
  const safe = <T>(fn: (storage: Storage) => T, fallback: T): T => {
    try {
      const storage = pick()
      return storage === undefined ? fallback : fn(storage)
    } catch {
      return fallback
    }
  }
  return {
    shared,
    getItem: (key) => safe((s) => s.getItem(key), null),
    setItem: (key, value) => safe((s) => s.setItem(key, value), undefined),
    removeItem: (key) => safe((s) => s.removeItem(key), undefined),
  }
}

/** `window.localStorage`, shared by every tab of the origin. */
export function localStorageAdapter(): StorageAdapter {
  return webStorage(() => globalThis.localStorage, true)
}

/** `window.sessionStorage`, private to one tab. */
export function sessionStorageAdapter(): StorageAdapter {
  return webStorage(() => globalThis.sessionStorage, false)
}

/** The `storage` option: a name or an adapter. */
export function resolveStorage(
  storage: 'local' | 'session' | 'memory' | StorageAdapter | undefined,
): StorageAdapter {
  if (storage === undefined || storage === 'local') return localStorageAdapter()
  if (storage === 'session') return sessionStorageAdapter()
  if (storage === 'memory') return memoryStorage()
  return storage
}
