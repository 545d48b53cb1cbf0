/**
 * The narrow cross-tab critical section of one refresh, run under the Web Lock: re-read shared
 * state, call the server only if no tab refreshed meanwhile, compare-and-set, broadcast. No user
 * code runs here, and it never ends a session itself: it reports an outcome to the refresher.
 */
import { type Bounded, bounded } from './bounded'
import type { Clock } from '../platform/clock'
import { AuthError, toAuthError } from '../errors'
import type { Emitter, SignOutReason } from '../events'
import { type Pause, pause } from './pause'
import { requestFor, tokensFrom } from './refreshExchange'
import type { SessionSync } from '../tabs/sessionSync'
import type { AuthSnapshot } from '../state'
import { type AuthenticationResult, isNewer, sameSession, type TokenSet } from '../tokens'
import type { Transport } from '../transports/types'

export interface CriticalSectionContext {
  clock: Clock
  transport: Transport
  peerTimeoutMs: number
  clientMetadata: Record<string, string> | undefined
  sync: SessionSync
  emitter: Emitter
  snapshot(): AuthSnapshot
  /** Bumped by every sign-in and sign-out: a refresh begun in an older epoch is discarded. */
  epoch(): number
  /** The longest a transport call may take; then its signal is aborted. */
  refreshTimeoutMs: number
  minRefreshIntervalMs: number
}

/** How a refresh is asked for. */
export interface RunOptions {
  /** Another holder had the lock first. */
  contended?: boolean
  /** Forced because an API refused the access token (a 401). */
  rejected?: boolean
  /** Backoff notes written until this time are ignored (back online, or the app asked). */
  notesFrom?: number | undefined
}

/**
 * Tokens to take (`via` says from where); the session ended in another tab (`gone`, with the
 * reason its tombstone gives); the server call failed without ending it (`failed`); or no call
 * may be made before `wait` (another tab's backoff, or the floor under odd lifetimes).
 */
export type Outcome =
  | { tokens: TokenSet; via: 'network' | 'storage' | 'channel' }
  | { gone: true; reason?: SignOutReason | undefined }
  | { failed: AuthError }
  | Pause

/** What the refresher acts on: a failed call has become its backoff pause. */
export type Settled = Exclude<Outcome, { failed: AuthError }>

/**
 * How long a tab that waited for the lock gives the previous holder's result to arrive, and how
 * long the holder keeps the lock after its write.
 */
export const propagationWaitMs = 250
const pollMs = 25

export function createCriticalSection(ctx: CriticalSectionContext) {
  const { clock, sync, emitter, snapshot, transport, peerTimeoutMs, clientMetadata } = ctx
  const currentEpoch = ctx.epoch
  let releaseLinger: (() => void) | undefined
  let call: Bounded<AuthenticationResult> | undefined

  function discarded(start: TokenSet): AuthError {
    emitter.emit('refreshDiscarded', { sessionId: start.sessionId })
    return new AuthError('SignedOut', 'The session changed while refreshing; result dropped.')
  }

  /** A newer version of `start`'s session that a message brought (tokens held) or storage shows. */
  function newerThan(start: TokenSet): Outcome | undefined {
    const held = snapshot().tokens
    if (held?.sessionId === start.sessionId && held.version > start.version) {
      return { tokens: held, via: 'channel' }
    }
    const shared = sync.read()
    if (shared !== undefined && sameSession(shared, start) && shared.version > start.version) {
      return { tokens: shared, via: 'storage' }
    }
    return undefined
  }

  const isNewerOrOther = (t: TokenSet, start: TokenSet) =>
    t.sessionId !== start.sessionId || t.version > start.version

  /** Our session id with another user's tokens: corrupt or forged, never taken. */
  const forged = (t: TokenSet, start: TokenSet) =>
    t.sessionId === start.sessionId && !sameSession(t, start)

  const gone = (start: TokenSet): Outcome => ({ gone: true, reason: sync.endReason(start) })

  /** The transport call, bounded in time and abortable by `abort()` (sign-out, dispose). */
  async function send(start: TokenSet): Promise<AuthenticationResult> {
    const request = requestFor(start, clientMetadata)
    const current = (call = bounded(clock, ctx.refreshTimeoutMs, (signal) =>
      transport.refresh(request, { signal, clock }),
    ))
    try {
      return await current.promise
    } finally {
      if (call === current) call = undefined
    }
  }

  /**
   * After waiting for the lock, the previous holder has usually just refreshed. Across renderer
   * processes (Chromium) its localStorage write and its message can arrive a moment after the lock
   * does: give them that moment before spending the refresh token again.
   */
  async function settle(start: TokenSet): Promise<Outcome | undefined> {
    for (let waited = 0; waited < propagationWaitMs; waited += pollMs) {
      const newer = newerThan(start)
      if (newer !== undefined) return newer
      await new Promise<void>((resolve) => clock.setTimeout(resolve, pollMs))
    }
    return newerThan(start)
  }

  async function run(start: TokenSet, epoch: number, options: RunOptions = {}): Promise<Outcome> {
    if (epoch !== currentEpoch()) throw discarded(start) // signed out or in while we waited
    const newer = options.contended ? await settle(start) : newerThan(start)
    if (newer !== undefined) return newer
    if (epoch !== currentEpoch()) throw discarded(start)
    const shared = sync.read()
    if (sync.shared()) {
      // Shared storage is the truth: a tombstone means a sign-out elsewhere, another session a
      // sign-in elsewhere, a newer version a refresh elsewhere. Each is followed without a request.
      // An empty slot without a tombstone is a copy of localStorage lagging another tab's write.
      // Our session id with another user's tokens is corrupt, not news: it is ignored.
      if (shared === undefined) {
        if (sync.signedOut(start)) return gone(start)
      } else if (!forged(shared, start) && isNewerOrOther(shared, start)) {
        return { tokens: shared, via: 'storage' }
      }
    } else if (shared !== undefined && isNewer(shared, start) && !forged(shared, start)) {
      return { tokens: shared, via: 'storage' }
    }
    if (sync.newerElsewhere(start)) {
      // Tab-private storage: another tab refreshed and its message has not arrived yet.
      const peer = await sync.askPeers(peerTimeoutMs)
      if (peer !== undefined && sameSession(peer, start) && isNewer(peer, start)) {
        return { tokens: peer, via: 'channel' }
      }
    }
    const waitFor = pause(start, clock.now(), {
      minRefreshIntervalMs: ctx.minRefreshIntervalMs,
      note: sync.note('backoff'),
      notesFrom: options.notesFrom,
    })
    if (waitFor !== undefined) return waitFor
    if (epoch !== currentEpoch()) throw discarded(start)
    let result: AuthenticationResult
    // ExpiresIn counts from when Cognito issued the tokens, which is after we sent the request:
    // counting from the send time never overestimates the lifetime by the reply's transit time.
    const sentAt = clock.now()
    try {
      result = await send(start)
    } catch (error) {
      const authError = toAuthError(error)
      if (authError.kind === 'retryable' || authError.kind === 'fatal') return { failed: authError }
      if (authError.kind === 'reuse' || authError.kind === 'terminal') {
        // Rotation: a tab that refreshed first may hold the successor. Look in storage, then ask
        // the other tabs (their memory may be ahead of storage), before giving up.
        const successor = (t: TokenSet | undefined) =>
          t !== undefined &&
          sameSession(t, start) &&
          t.refreshToken !== start.refreshToken &&
          isNewer(t, start)
        const stored = sync.read()
        if (successor(stored)) return { tokens: stored!, via: 'storage' }
        if (sync.peersWorthAsking()) {
          const peer = await sync.askPeers(peerTimeoutMs)
          if (successor(peer)) return { tokens: peer!, via: 'channel' }
        }
      }
      throw authError
    }
    if (epoch !== currentEpoch()) throw discarded(start)
    let next: TokenSet
    try {
      next = tokensFrom(result, start, sentAt)
    } catch (error) {
      return { failed: toAuthError(error) } // an unusable reply is backed off like a failed call
    }
    // The commit guard: only over an older version of the same session, never into a sign-out
    // or over a newer sign-in that happened while the reply was on its way.
    const verdict = sync.commit(next)
    if (verdict === 'gone') {
      if (sync.signedOut(start)) return gone(start)
      sync.write(next, { replace: true }) // an empty slot, no tombstone: a lagging copy of storage; ours stands
    }
    if (verdict === 'replaced' || verdict === 'stale') {
      // What another tab wrote meanwhile stands: the same or a later version (no lock, or it timed
      // out), or a sign-in. Ours is dropped; with rotation its refresh token is a spare successor.
      const stored = sync.read()
      return stored === undefined ? gone(start) : { tokens: stored, via: 'storage' }
    }
    if (options.rejected)
      sync.setNote('rejected', { sessionId: next.sessionId, version: next.version })
    sync.broadcastTokens(next, 'refreshed')
    return { tokens: next, via: 'network' }
  }

  /**
   * After spending the refresh token, the lock is kept a moment: a tab whose timer fires now waits
   * for it, then gives our write and message time to reach its renderer (`settle`). `release()`
   * ends the wait early (the client unmounts or is disposed).
   */
  function linger(outcome: Outcome): Promise<void> | undefined {
    // After a server call, successful or not: a failure's backoff note needs the moment as well;
    // not after a call this client cancelled itself (dispose): nothing of it is left to wait for.
    const called =
      ('tokens' in outcome && outcome.via === 'network') ||
      ('wait' in outcome && outcome.afterCall && outcome.error.code !== 'AbortError')
    if (called !== true) return undefined
    releaseLinger?.()
    return new Promise((resolve) => {
      const timer = clock.setTimeout(done, propagationWaitMs)
      function done() {
        clock.clearTimeout(timer)
        releaseLinger = undefined
        resolve()
      }
      releaseLinger = done
    })
  }

  return {
    run,
    discarded,
    linger,
    release: () => releaseLinger?.(),
    /** Cancels the server call in flight, if any (its result would be dropped anyway). */
    abort: () => call?.abort(),
  }
}
