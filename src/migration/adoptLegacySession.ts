import type { AuthClient } from '../core/client/authClient'
import { legacyStorageOf } from './legacyKeys'
import { clearLegacySession } from './clearLegacySession'
import {
  type LegacyMigration,
  migrateLegacySession,
  type MigrateLegacySessionOptions,
} from './migrateLegacySession'

export interface AdoptLegacySessionOptions extends MigrateLegacySessionOptions {
  /**
   * Remove the legacy tokens once adopted, so a later sign-out of ours cannot be undone by
   * adopting them again. `legacyWriteBack` writes them back if both libraries must run together.
   * @default true
   */
  removeLegacyTokens?: boolean
}

export type AdoptLegacyResult =
  | LegacyMigration
  /** The client already holds a session; the legacy one was left alone. */
  | { session: null; reason: 'alreadySignedIn' }
  /** `setSession` refused the tokens (or the client was disposed); legacy keys were kept. */
  | { session: null; reason: 'rejected' }

/**
 * Signs the client in with the session amazon-cognito-identity-js or Amplify v6 left in storage,
 * unless the client already has one. Starts the client if it has not read its storage yet. If the
 * legacy access token had already lapsed, a refresh starts at once (its outcome arrives through
 * the client's events and snapshot, like any refresh).
 */
export function adoptLegacySession(
  client: AuthClient,
  options: AdoptLegacySessionOptions,
): AdoptLegacyResult {
  // `loading` means the client has not read its own storage; a mount reads it (and is undone).
  if (client.getSnapshot().status === 'loading') client.mount()()
  if (client.getSnapshot().status === 'authenticated') {
    return { session: null, reason: 'alreadySignedIn' }
  }
  const migration = migrateLegacySession(options)
  if (migration.session === null) return migration
  // Removed before setSession: a write-back subscribed to the client writes them again after it.
  const removed =
    options.removeLegacyTokens === false
      ? new Map<string, string>()
      : clearLegacySession({ ...options, username: migration.username })
  try {
    client.setSession(migration.session)
  } catch {
    const storage = legacyStorageOf(options)
    for (const [key, value] of removed) {
      try {
        storage?.setItem(key, value)
      } catch {
        // Best effort: the storage refused; the migration result says what happened.
      }
    }
    return { session: null, reason: 'rejected' }
  }
  if (migration.expired) void client.refresh({ force: true }).catch(() => undefined)
  return migration
}
