/**
 * The refresh machinery of one client: when to refresh (schedule, watchdog, backoff), the in-tab
 * single flight, and the narrow cross-tab critical section (re-read, call, compare-and-set,
 * broadcast). It never ends a session itself; it asks the client to.
 */
import { backoffCapMs, backoffDelay, type BackoffOptions, defaultBackoff } from './backoff'
import type { Clock, TimerHandle } from './clock'
import { AuthError, isAuthError } from './errors'
import type { Emitter, SignOutReason } from './events'
import type { Lock } from './lock'
import { refreshDueAt, watchdogIntervalMs } from './schedule'
import type { SessionSync } from './sessionSync'
import type { AuthSnapshot } from './state'
import { type AuthenticationResult, createTokenSet, isNewer, type TokenSet, userOf } from './tokens'
import type { Transport } from './transports/types'

export interface RefresherContext {
  clock: Clock
  random: () => number
  /** This client's fixed jitter in [0, 1). */
  jitter: number
  transport: Transport
  lock: Lock
  lockName: string
  lockTimeoutMs: number
  peerTimeoutMs: number
  backoff: BackoffOptions | undefined
  clientMetadata: Record<string, string> | undefined
  sync: SessionSync
  emitter: Emitter
  snapshot(): AuthSnapshot
  set(patch: Partial<Omit<AuthSnapshot, 'updatedAt'>>): void
  /** Bumped by every sign-in and sign-out: a refresh begun in an older epoch is discarded. */
  epoch(): number
  mounted(): boolean
  disposed(): boolean
  endSession(reason: SignOutReason, error: AuthError): void
  /** Storage shows that another tab signed out: end here too, quietly. */
  signedOutElsewhere(): void
  /** Another tab signed in (a different session): take it over as a sign-in. */
  adopt(tokens: TokenSet): void
}

type Outcome = { tokens: TokenSet; via: 'network' | 'storage' | 'channel' } | { gone: true }

/** How long a tab that waited for the lock gives the previous holder's result to arrive. */
export const propagationWaitMs = 250
const pollMs = 25

export function toAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error
  // Never copy an unknown error's message: it may quote a reply body. Keep it as the cause.
  return new AuthError('NetworkError', 'The refresh failed before a reply arrived.', {
    cause: error,
  })
}

export function createRefresher(ctx: RefresherContext) {
  const { clock, sync, emitter, snapshot, set, epoch: currentEpoch, mounted, disposed } = ctx
  let inflight: Promise<TokenSet> | undefined
  let attempt = 0
  let retryAt: number | undefined
  let timer: TimerHandle | undefined

  const dueAt = (tokens: TokenSet) => retryAt ?? refreshDueAt(tokens, ctx.jitter)

  function clearTimer() {
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = undefined
  }

  function schedule() {
    clearTimer()
    const tokens = snapshot().tokens
    if (!mounted() || disposed() || tokens === null || inflight) return
    // Never sleep longer than the watchdog: a late timer is caught by comparing wall-clock time.
    const delay = Math.min(dueAt(tokens) - clock.now(), watchdogIntervalMs)
    timer = clock.setTimeout(tick, Math.max(0, delay))
  }

  function tick() {
    timer = undefined
    const tokens = snapshot().tokens
    if (tokens === null || inflight) return
    if (clock.now() < dueAt(tokens)) return schedule()
    void run(tokens, retryAt !== undefined).catch(() => undefined)
  }

  function discarded(start: TokenSet): AuthError {
    emitter.emit('refreshDiscarded', { sessionId: start.sessionId })
    return new AuthError('SignedOut', 'The session changed while refreshing; result dropped.')
  }

  /** Inside the lock: re-read, call, compare-and-set, broadcast. No user code runs here. */
  /** A newer version of `start`'s session that a message brought (tokens held) or storage shows. */
  function newerThan(start: TokenSet): Outcome | undefined {
    const held = snapshot().tokens
    if (held?.sessionId === start.sessionId && held.version > start.version) {
      return { tokens: held, via: 'channel' }
    }
    const shared = sync.read()
    if (shared?.sessionId === start.sessionId && shared.version > start.version) {
      return { tokens: shared, via: 'storage' }
    }
    return undefined
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

  async function critical(start: TokenSet, epoch: number, contended = false): Promise<Outcome> {
    if (epoch !== currentEpoch()) throw discarded(start) // signed out or in while we waited
    const newer = contended ? await settle(start) : newerThan(start)
    if (newer !== undefined) return newer
    if (epoch !== currentEpoch()) throw discarded(start)
    const shared = sync.read()
    if (sync.shared()) {
      // Shared storage is the truth: a tombstone means a sign-out elsewhere, another session a
      // sign-in elsewhere, a newer version a refresh elsewhere. Each is followed without a request.
      // An empty slot without a tombstone is a copy of localStorage lagging another tab's write.
      if (shared === undefined) {
        if (sync.signedOut(start)) return { gone: true }
      } else if (shared.sessionId !== start.sessionId || shared.version > start.version) {
        return { tokens: shared, via: 'storage' }
      }
    } else if (shared !== undefined && isNewer(shared, start)) {
      return { tokens: shared, via: 'storage' }
    }
    if (sync.newerElsewhere(start)) {
      // Tab-private storage: another tab refreshed and its message has not arrived yet.
      const peer = await sync.askPeers(ctx.peerTimeoutMs)
      if (peer?.sessionId === start.sessionId && isNewer(peer, start)) {
        return { tokens: peer, via: 'channel' }
      }
    }
    let result: AuthenticationResult
    // ExpiresIn counts from when Cognito issued the tokens, which is after we sent the request:
    // counting from the send time never overestimates the lifetime by the reply's transit time.
    const sentAt = clock.now()
    try {
      result = await ctx.transport.refresh(requestFor(start, ctx.clientMetadata), {
        signal: new AbortController().signal,
      })
    } catch (error) {
      const authError = toAuthError(error)
      if (authError.kind === 'reuse' || authError.kind === 'terminal') {
        // Rotation: a tab that refreshed first may hold the successor. Look in storage, then ask
        // the other tabs (their memory may be ahead of storage), before giving up.
        const successor = (t: TokenSet | undefined) =>
          t !== undefined && t.refreshToken !== start.refreshToken && isNewer(t, start)
        const stored = sync.read()
        if (successor(stored)) return { tokens: stored!, via: 'storage' }
        if (sync.peersWorthAsking()) {
          const peer = await sync.askPeers(ctx.peerTimeoutMs)
          if (successor(peer)) return { tokens: peer!, via: 'channel' }
        }
      }
      throw authError
    }
    if (epoch !== currentEpoch()) throw discarded(start)
    const next = createTokenSet(result, {
      now: sentAt,
      previous: start,
      sessionId: start.sessionId,
    })
    if (userOf(next) !== userOf(start)) {
      // A backend (or proxy cache) that answers with someone else's tokens: never hand them out.
      throw new AuthError('InvalidResponse', 'The refresh returned tokens of another user.', {
        kind: 'fatal',
      })
    }
    // The commit guard: only over an older version of the same session, never into a sign-out
    // or over a newer sign-in that happened while the reply was on its way.
    const verdict = sync.commit(next)
    if (verdict === 'gone') {
      if (sync.signedOut(start)) return { gone: true }
      sync.write(next, true) // an empty slot, no tombstone: a lagging copy of storage; ours stands
    }
    if (verdict === 'replaced' || verdict === 'stale') {
      // What another tab wrote meanwhile stands: the same or a later version (no lock, or it timed
      // out), or a sign-in. Ours is dropped; with rotation its refresh token is a spare successor.
      const stored = sync.read()
      return stored === undefined ? { gone: true } : { tokens: stored, via: 'storage' }
    }
    sync.broadcastTokens(next, 'refreshed')
    return { tokens: next, via: 'network' }
  }

  async function execute(start: TokenSet): Promise<TokenSet> {
    const epoch = currentEpoch()
    clearTimer()
    set({ refresh: 'refreshing' })
    try {
      const work = (contended?: boolean) => critical(start, epoch, contended)
      // After spending the refresh token, keep the lock a moment: a tab whose timer fires now
      // waits for it and gives our write and message time to reach its renderer (see settle).
      const linger = (outcome: Outcome) =>
        'tokens' in outcome && outcome.via === 'network' ? propagationWaitMs : 0
      const locked = await ctx.lock.request(ctx.lockName, ctx.lockTimeoutMs, work, linger)
      let outcome: Outcome
      if (locked.acquired) outcome = locked.value
      else {
        emitter.emit('lockUnavailable', { reason: locked.reason })
        outcome = await work()
      }
      if (epoch !== currentEpoch()) throw discarded(start)
      if ('gone' in outcome) {
        ctx.signedOutElsewhere()
        throw discarded(start)
      }
      reset()
      if (outcome.tokens.sessionId !== start.sessionId) {
        ctx.adopt(outcome.tokens)
        return outcome.tokens
      }
      const held = snapshot().tokens
      if (
        outcome.via !== 'network' &&
        held?.sessionId === outcome.tokens.sessionId &&
        held.version >= outcome.tokens.version
      ) {
        // Another tab's message brought these tokens while we waited: adopted once, not twice.
        set({ refresh: 'idle', error: null })
        return held
      }
      set({ status: 'authenticated', tokens: outcome.tokens, refresh: 'idle', error: null })
      const { sessionId, version, expiresAt } = outcome.tokens
      if (outcome.via === 'network') {
        emitter.emit('tokensRefreshed', { sessionId, version, expiresAt })
      } else emitter.emit('tokensAdopted', { sessionId, version, expiresAt, from: outcome.via })
      return outcome.tokens
    } catch (error) {
      const authError = toAuthError(error)
      if (epoch === currentEpoch() && !disposed()) fail(authError)
      throw authError
    }
  }

  function fail(error: AuthError) {
    if (error.kind === 'terminal' || error.kind === 'reuse') {
      ctx.endSession(error.kind === 'reuse' ? 'reuse' : 'rejected', error)
      return
    }
    const fatal = error.kind === 'fatal'
    // The backoff cap follows the access token: long waits while it is good for a while, at most a
    // minute near expiry. A configuration error waits the whole cap: it will not fix itself soon.
    const held = snapshot().tokens
    const remainingMs = held === null ? undefined : held.expiresAt - clock.now()
    const delay = fatal
      ? backoffCapMs(remainingMs, ctx.backoff?.maxMs ?? defaultBackoff.maxMs)
      : backoffDelay(attempt, ctx.random, ctx.backoff, error.retryAfterMs, remainingMs)
    attempt++
    retryAt = clock.now() + delay
    set({ refresh: fatal ? 'idle' : 'retrying', error })
    const willRetry = mounted()
    emitter.emit('refreshFailed', { error, willRetry, retryInMs: willRetry ? delay : undefined })
  }

  /** Starts a refresh of `tokens`, or joins the one under way. */
  function run(tokens: TokenSet, force: boolean): Promise<TokenSet> {
    if (inflight) return inflight
    if (!force && clock.now() < dueAt(tokens)) return Promise.resolve(tokens)
    inflight = execute(tokens).finally(() => {
      inflight = undefined
      schedule()
    })
    return inflight
  }

  function reset() {
    attempt = 0
    retryAt = undefined
  }

  return {
    run,
    schedule,
    tick,
    reset,
    clearTimer,
    isDue: (tokens: TokenSet) => clock.now() >= dueAt(tokens),
    busy: () => inflight !== undefined,
    /** True while waiting out a backoff delay. */
    backingOff: () => retryAt !== undefined && clock.now() < retryAt && !inflight,
    /** Cancels the backoff wait so the next tick retries at once (the browser came back online). */
    retryNow() {
      if (retryAt !== undefined) retryAt = clock.now()
    },
  }
}

export type Refresher = ReturnType<typeof createRefresher>

function requestFor(tokens: TokenSet, clientMetadata: Record<string, string> | undefined) {
  const username = tokens.idClaims?.['cognito:username'] ?? tokens.accessClaims.username
  return {
    refreshToken: tokens.refreshToken,
    ...(tokens.deviceKey !== undefined && { deviceKey: tokens.deviceKey }),
    ...(typeof username === 'string' && { username }),
    ...(clientMetadata !== undefined && { clientMetadata }),
  }
}
