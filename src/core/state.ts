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

/**
 * Every change of the snapshot, by name. The client and the refresher dispatch these; `reduce`
 * alone decides what each does to the snapshot (docs/architecture.md lists them).
 */
export type AuthAction =
  /** The start found a session in storage (or another tab answered with one). */
  | { type: 'restored'; tokens: TokenSet }
  /** The start found no session, here or in another tab. */
  | { type: 'noSession' }
  /** A new session: `setSession` here, or a sign-in in another tab. Clears any error. */
  | { type: 'signedIn'; tokens: TokenSet }
  /** A newer version of our session from another tab; a refresh of ours may still be running. */
  | { type: 'adopted'; tokens: TokenSet; refreshing: boolean }
  | { type: 'refreshStarted' }
  /** A refresh brought newer tokens (from the server, or from storage under the lock). */
  | { type: 'refreshed'; tokens: TokenSet }
  /** A refresh ended on tokens this tab already holds (adopted while it waited). */
  | { type: 'refreshSettled' }
  /** A refresh failed and will be tried again (here or by another tab); the session stays. */
  | { type: 'retrying'; error: AuthError }
  /** A refresh failed for a reason that waiting will not fix soon (configuration); the session stays. */
  | { type: 'refreshFailed'; error: AuthError }
  | { type: 'signedOut'; reason: SignOutReason; error: AuthError | undefined }

export type AuthActionType = AuthAction['type']

/** What `reduce` needs besides the action: the time, and when a session ends for good. */
export interface ReduceContext {
  now(): number
  sessionExpiresAt(tokens: TokenSet): number | null
}

type Patch = { -readonly [K in keyof AuthSnapshot]?: AuthSnapshot[K] }

function patchFor(action: AuthAction): Patch {
  switch (action.type) {
    case 'restored':
      return { status: 'authenticated', tokens: action.tokens, signOutReason: null }
    case 'noSession':
      return { status: 'unauthenticated', tokens: null, signOutReason: 'noSession' }
    case 'signedIn': {
      const { tokens } = action
      return { status: 'authenticated', tokens, refresh: 'idle', error: null, signOutReason: null }
    }
    case 'adopted': {
      const idle = action.refreshing ? {} : { refresh: 'idle' as const }
      return { status: 'authenticated', tokens: action.tokens, error: null, ...idle }
    }
    case 'refreshStarted':
      return { refresh: 'refreshing' }
    case 'refreshed':
      return { status: 'authenticated', tokens: action.tokens, refresh: 'idle', error: null }
    case 'refreshSettled':
      return { refresh: 'idle', error: null }
    case 'retrying':
      return { refresh: 'retrying', error: action.error }
    case 'refreshFailed':
      return { refresh: 'idle', error: action.error }
    case 'signedOut': {
      const { reason, error } = action
      const ended = { tokens: null, refresh: 'idle', error: error ?? null } as const
      return { status: 'unauthenticated', ...ended, signOutReason: reason }
    }
  }
}

/**
 * The snapshot after `action`: a new frozen object, or the same one when nothing changed (so
 * subscribers are not woken). `sessionExpiresAt` follows the tokens.
 */
export function reduce(
  current: AuthSnapshot,
  action: AuthAction,
  ctx: ReduceContext,
): AuthSnapshot {
  const patch = patchFor(action)
  if (patch.tokens !== undefined) {
    patch.sessionExpiresAt = patch.tokens === null ? null : ctx.sessionExpiresAt(patch.tokens)
  }
  const keys = Object.keys(patch) as (keyof Patch)[]
  if (keys.every((k) => Object.is(current[k], patch[k]))) return current
  return Object.freeze({ ...current, ...patch, updatedAt: ctx.now() })
}
