import {
  lastAuthUserKey,
  legacyStorageOf,
  type LegacyStorageOptions,
  readKey,
  sessionKeys,
  userKey,
} from './legacyKeys'

export interface ClearLegacySessionOptions extends LegacyStorageOptions {
  /** @default the stored `LastAuthUser` */
  username?: string
}

/**
 * Removes the legacy session keys (tokens, clockDrift, LastAuthUser, cached user data) as both
 * libraries do on sign-out; device keys stay so a remembered device stays remembered. Returns
 * what it removed, so a caller can put it back. Never throws.
 */
export function clearLegacySession(options: ClearLegacySessionOptions): Map<string, string> {
  const removed = new Map<string, string>()
  const storage = legacyStorageOf(options)
  if (storage === undefined) return removed
  const lastUser = lastAuthUserKey(options.clientId)
  const username = options.username ?? readKey(storage, lastUser)
  const keys = sessionKeys.map((key) => userKey(options.clientId, username ?? '', key))
  // LastAuthUser only when it names this user: another user's pointer is not ours to drop.
  if (username !== undefined && readKey(storage, lastUser) === username) keys.push(lastUser)
  for (const key of username === undefined ? [] : keys) {
    const value = readKey(storage, key)
    if (value === undefined) continue
    try {
      storage.removeItem(key)
      removed.set(key, value)
    } catch {
      // A storage that throws on remove keeps the value; nothing else to do.
    }
  }
  return removed
}
