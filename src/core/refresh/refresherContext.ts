/**
 * What the refresher is given: the session it refreshes (which it reports to and watches), the
 * lock, the transport and the timings. Kept apart so the refresher reads as the algorithm.
 */
import type { BackoffOptions } from './backoff'
import type { CriticalSectionContext } from './criticalSection'
import type { AuthError } from '../errors'
import type { SignOutReason } from '../events'
import type { Lock } from '../platform/lock'
import type { AuthAction, AuthSnapshot } from '../state'
import type { TokenSet } from '../tokens'

/**
 * Why a refresh runs. `due`: only if its time has come (timer, catch-up on read); `needed`: the
 * token lapses (a read, a retry); `rejected`: an API refused the token; `asked`: the app called
 * `refresh({ force: true })`, which also goes past another tab's backoff.
 */
export type RefreshWhy = 'due' | 'needed' | 'rejected' | 'asked'

/** What a session change means to the refresher: a new session, a newer version, or the end. */
export type SessionChange = 'taken' | 'adopted' | 'ended'

/**
 * The session as the refresher sees it (the client's session part implements it). The refresher
 * reports what a refresh found through `dispatch`, `take` and `end`; the session never calls
 * back, it tells its watchers what changed.
 */
export interface RefreshSession {
  snapshot(): AuthSnapshot
  dispatch(action: AuthAction): void
  /** Bumped by every sign-in and sign-out: a refresh begun in an older epoch is discarded. */
  epoch(): number
  /** Another tab signed in (a different session): take it over as a sign-in. */
  take(tokens: TokenSet, options: { from: 'here' | 'otherTab' }): void
  /** Ends the session, here (rejected, reuse, expired) or as another tab already did. */
  end(reason: SignOutReason, options: { error?: AuthError; from: 'here' | 'otherTab' }): void
  /** Called at each change, after the epoch moved and before storage, state and events follow. */
  watch(watcher: (change: SessionChange) => void): () => void
  subscribe(listener: () => void): () => void
}

export interface RefresherContext extends Omit<CriticalSectionContext, 'snapshot' | 'epoch'> {
  session: RefreshSession
  random: () => number
  /** This client's fixed jitter in [0, 1). */
  jitter: number
  lock: Lock
  lockName: string
  lockTimeoutMs: number
  backoff: BackoffOptions | undefined
  mounted(): boolean
  disposed(): boolean
  /** When the session's refresh token runs out, if known (`refreshTokenValiditySeconds`). */
  sessionExpiresAt(tokens: TokenSet): number | undefined
  /** How long before `sessionExpiresAt` the `sessionExpiring` event fires. */
  sessionExpiryWarningMs: number
}
