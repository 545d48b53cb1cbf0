import type { AuthError } from './errors'

/** Why a session ended. */
export type SignOutReason =
  /** `signOut()` was called, here or in another tab. */
  | 'signOut'
  /** Cognito rejected the refresh token (NotAuthorized, UserNotFound, invalid_grant…). */
  | 'rejected'
  /** The refresh token had been rotated away and no tab held its successor. */
  | 'reuse'
  /** The session's absolute end (`sessionExpiresAt`) passed and Cognito refused the refresh. */
  | 'expired'
  /** The client started and found no usable session here, nor in another tab that answered. */
  | 'noSession'

/** Where tokens that this client adopted came from. */
export type AdoptedFrom = 'storage' | 'channel'

/** Events carry versions and ids, never token material. */
export interface AuthEvents {
  tokensRefreshed: { sessionId: string; version: number; expiresAt: number }
  tokensAdopted: { sessionId: string; version: number; expiresAt: number; from: AdoptedFrom }
  refreshFailed: { error: AuthError; willRetry: boolean; retryInMs: number | undefined }
  signedIn: { sessionId: string; userId: string | undefined; fromOtherTab: boolean }
  signedOut: { reason: SignOutReason; fromOtherTab: boolean; error: AuthError | undefined }
  /**
   * The session ends within `sessionExpiryWarningSeconds` (its refresh token's validity runs out):
   * ask the user to sign in again before work is lost. Once per session and tab.
   */
  sessionExpiring: { sessionId: string; sessionExpiresAt: number }
  /** Another user's session replaced this one (a sign-in in another tab). */
  sessionReplaced: { previousUserId: string | undefined; userId: string | undefined }
  /**
   * A stored session was unusable and was ignored, or (`unavailable`) storage dropped a write, so
   * the session is kept in this tab's memory instead.
   */
  storageIgnored: { reason: 'corrupt' | 'foreign' | 'version' | 'invalid' | 'unavailable' }
  /** A channel message was not ours or not valid, and was ignored. */
  messageIgnored: { reason: 'foreign' | 'invalid' | 'version' }
  /** The cross-tab lock could not be had; the refresh went ahead after a re-read. */
  lockUnavailable: { reason: 'timeout' | 'unsupported' }
  /** A refresh finished after a sign-out or sign-in and its result was dropped. */
  refreshDiscarded: { sessionId: string }
  /** Revoking the refresh token on sign-out failed; the local session ended anyway. */
  revokeFailed: { error: AuthError }
}

export type AuthEventType = keyof AuthEvents
export type AuthEventListener<K extends AuthEventType> = (event: AuthEvents[K]) => void

export interface Emitter {
  on<K extends AuthEventType>(type: K, listener: AuthEventListener<K>): () => void
  emit<K extends AuthEventType>(type: K, event: AuthEvents[K]): void
  clear(): void
}

export function createEmitter(): Emitter {
  const listeners = new Map<AuthEventType, Set<(event: never) => void>>()
  return {
    on(type, listener) {
      let set = listeners.get(type)
      if (set === undefined) listeners.set(type, (set = new Set()))
      set.add(listener as (event: never) => void)
      return () => void set.delete(listener as (event: never) => void)
    },
    emit(type, event) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          ;(listener as AuthEventListener<typeof type>)(event)
        } catch (error) {
          // A listener's bug must not break a refresh; report it where the developer looks.
          console.error('[react-cognito-refresh] an event listener threw:', error)
        }
      }
    },
    clear: () => listeners.clear(),
  }
}
