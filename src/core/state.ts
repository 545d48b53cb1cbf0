import type { AuthError } from './errors'
import type { SignOutReason } from './events'
import type { TokenSet } from './tokens'

/** Whether there is a session. `loading` until the client has read storage (and on the server). */
export type SessionStatus = 'loading' | 'authenticated' | 'unauthenticated'

/** What the refresh machinery is doing, independent of the session (like TanStack's fetchStatus). */
export type RefreshActivity = 'idle' | 'refreshing' | 'retrying'

export interface AuthSnapshot {
  readonly status: SessionStatus
  readonly refresh: RefreshActivity
  readonly tokens: TokenSet | null
  /** The last failure; cleared by the next success or sign-in. Never holds token material. */
  readonly error: AuthError | null
  /**
   * Why there is no session, while unauthenticated: `'noSession'` when the client started without
   * one, else why it ended.
   */
  readonly signOutReason: SignOutReason | null
  /**
   * When the session ends for good (its refresh token's validity runs out), counted from the
   * sign-in; null when unknown (`refreshTokenValiditySeconds` not given) or signed out.
   */
  readonly sessionExpiresAt: number | null
  readonly updatedAt: number
}

/** The snapshot before the client has started, and on the server. Shared, so it is stable. */
export const loadingSnapshot: AuthSnapshot = Object.freeze({
  status: 'loading',
  refresh: 'idle',
  tokens: null,
  error: null,
  signOutReason: null,
  sessionExpiresAt: null,
  updatedAt: 0,
})

type Patch = Partial<Omit<AuthSnapshot, 'updatedAt'>>

/** The next snapshot, or the same object when nothing changed (so subscribers are not woken). */
export function nextSnapshot(current: AuthSnapshot, patch: Patch, now: number): AuthSnapshot {
  const keys = Object.keys(patch) as (keyof Patch)[]
  if (keys.every((k) => Object.is(current[k], patch[k]))) return current
  return Object.freeze({ ...current, ...patch, updatedAt: now })
}
