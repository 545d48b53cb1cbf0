/**
 * The refresh machinery of one client: when to refresh (schedule, watchdog, backoff), the in-tab
 * single flight, and what a failure does. The cross-tab part, run under the lock, is in
 * criticalSection.ts. It never ends a session itself; it asks the client to.
 */
import { backoffCapMs, backoffDelay, type BackoffOptions, defaultBackoff } from './backoff'
import type { TimerHandle } from '../platform/clock'
import {
  type CriticalSectionContext,
  createCriticalSection,
  type RunOptions,
  type Settled,
} from './criticalSection'
import { type AuthError, toAuthError } from '../errors'
import type { SignOutReason } from '../events'
import type { Lock } from '../platform/lock'
import type { Pause } from './pause'
import { refreshDueAt, watchdogIntervalMs } from './schedule'
import type { AuthSnapshot } from '../state'
import type { TokenSet } from '../tokens'

/**
 * Why a refresh runs. `due`: only if its time has come (timer, catch-up on read); `needed`: the
 * token lapses (a read, a retry); `rejected`: an API refused the token; `asked`: the app called
 * `refresh({ force: true })`, which also goes past another tab's backoff.
 */
export type RefreshWhy = 'due' | 'needed' | 'rejected' | 'asked'

export interface RefresherContext extends CriticalSectionContext {
  random: () => number
  /** This client's fixed jitter in [0, 1). */
  jitter: number
  lock: Lock
  lockName: string
  lockTimeoutMs: number
  backoff: BackoffOptions | undefined
  set(patch: Partial<Omit<AuthSnapshot, 'updatedAt'>>): void
  mounted(): boolean
  disposed(): boolean
  endSession(reason: SignOutReason, error: AuthError): void
  /** Storage shows that another tab ended the session (for `reason`, when it says): end here too. */
  signedOutElsewhere(reason: SignOutReason | undefined): void
  /** When the session's refresh token runs out, if known (`refreshTokenValiditySeconds`). */
  sessionExpiresAt(tokens: TokenSet): number | undefined
  /** How long before `sessionExpiresAt` the `sessionExpiring` event fires. */
  sessionExpiryWarningMs: number
  /** Another tab signed in (a different session): take it over as a sign-in. */
  adopt(tokens: TokenSet): void
}

export function createRefresher(ctx: RefresherContext) {
  const { clock, emitter, snapshot, set, epoch: currentEpoch, mounted, disposed } = ctx
  const section = createCriticalSection(ctx)
  const discarded = section.discarded
  let inflight: Promise<TokenSet> | undefined
  let attempt = 0
  let retryAt: number | undefined
  let timer: TimerHandle | undefined
  /** Backoff notes older than this are ignored: the browser came back online after them. */
  let notesFrom: number | undefined
  let warned: string | undefined

  const dueAt = (tokens: TokenSet) =>
    retryAt ?? refreshDueAt(tokens, ctx.jitter, ctx.minRefreshIntervalMs)

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
    warnOfExpiry(tokens)
    if (clock.now() < dueAt(tokens)) return schedule()
    void run(tokens, retryAt !== undefined ? 'needed' : 'due').catch(() => undefined)
  }

  /** `sessionExpiring`, once per session, checked on every tick (the watchdog's 5 s at most). */
  function warnOfExpiry(tokens: TokenSet) {
    const endsAt = ctx.sessionExpiresAt(tokens)
    if (endsAt === undefined || warned === tokens.sessionId) return
    if (clock.now() < endsAt - ctx.sessionExpiryWarningMs) return
    warned = tokens.sessionId
    emitter.emit('sessionExpiring', { sessionId: tokens.sessionId, sessionExpiresAt: endsAt })
  }

  async function execute(start: TokenSet, why: RefreshWhy): Promise<TokenSet> {
    const epoch = currentEpoch()
    clearTimer()
    set({ refresh: 'refreshing' })
    let failed = true
    try {
      // The app asked explicitly (a "retry now"): other tabs' backoff does not hold it back.
      const from = why === 'asked' ? clock.now() : notesFrom
      const options: RunOptions = { rejected: why === 'rejected', notesFrom: from }
      const work = async (contended?: boolean): Promise<Settled> => {
        const outcome = await section.run(start, epoch, {
          ...options,
          contended: contended === true,
        })
        if (!('failed' in outcome)) return outcome
        if (epoch !== currentEpoch()) throw discarded(start) // signed out: nothing to plan
        return plan(outcome.failed, start)
      }
      const locked = await ctx.lock.request(ctx.lockName, ctx.lockTimeoutMs, work, section.linger)
      let outcome: Settled
      if (locked.acquired) outcome = locked.value
      else {
        emitter.emit('lockUnavailable', { reason: locked.reason })
        outcome = await work()
      }
      if (epoch !== currentEpoch()) throw discarded(start)
      if ('gone' in outcome) {
        ctx.signedOutElsewhere(outcome.reason)
        throw discarded(start)
      }
      if ('wait' in outcome) {
        failed = false
        waitUntil(outcome.wait, outcome.error, outcome.attempt)
        throw outcome.error
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
      if (failed && epoch === currentEpoch() && !disposed()) fail(authError, start)
      throw authError
    }
  }

  function fail(error: AuthError, start: TokenSet) {
    if (error.kind === 'terminal' || error.kind === 'reuse') {
      const endsAt = ctx.sessionExpiresAt(start)
      const expired = endsAt !== undefined && clock.now() >= endsAt
      ctx.endSession(error.kind === 'reuse' ? 'reuse' : expired ? 'expired' : 'rejected', error)
      return
    }
    const next = plan(error, start)
    waitUntil(next.wait, next.error, next.attempt)
  }

  /**
   * When to try again after `error`, noted for the other tabs: one tab retries on the shared
   * backoff, the others wait for its result (run under the lock where there is one).
   */
  function plan(error: AuthError, start: TokenSet): Pause {
    // Whichever tab failed before, the backoff grows from the attempts made for this version.
    const note = ctx.sync.note('backoff')
    if (note?.sessionId === start.sessionId && note.version === start.version) {
      attempt = Math.max(attempt, note.attempt)
    }
    const fatal = error.kind === 'fatal'
    // The backoff cap follows the access token: long waits while it is good for a while, at most a
    // minute near expiry. A configuration error waits the whole cap: it will not fix itself soon.
    const held = snapshot().tokens
    const remainingMs = held === null ? undefined : held.expiresAt - clock.now()
    const delay = fatal
      ? backoffCapMs(remainingMs, ctx.backoff?.maxMs ?? defaultBackoff.maxMs)
      : backoffDelay(attempt, ctx.random, ctx.backoff, error.retryAfterMs, remainingMs)
    const now = clock.now()
    const { sessionId, version } = start
    const kind = fatal ? 'fatal' : 'retryable'
    const retry = { attempt: attempt + 1, retryAt: now + delay }
    ctx.sync.setNote('backoff', { sessionId, version, ...retry, code: error.code, kind, at: now })
    return { wait: retry.retryAt, error, attempt: retry.attempt, afterCall: true }
  }

  /** Waits until `at` before the next attempt (ours, or the one another tab makes). */
  function waitUntil(at: number, error: AuthError, attempts = attempt + 1) {
    attempt = attempts
    retryAt = at
    set({ refresh: error.kind === 'fatal' ? 'idle' : 'retrying', error })
    const willRetry = mounted()
    const retryInMs = willRetry ? Math.max(0, at - clock.now()) : undefined
    emitter.emit('refreshFailed', { error, willRetry, retryInMs })
  }

  /** Starts a refresh of `tokens`, or joins the one under way. */
  function run(tokens: TokenSet, why: RefreshWhy): Promise<TokenSet> {
    if (inflight) return inflight
    if (why === 'due' && clock.now() < dueAt(tokens)) return Promise.resolve(tokens)
    inflight = execute(tokens, why).finally(() => {
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
    /** Leaves nothing running: no timer, and a lock kept after a refresh is released now. */
    stop() {
      clearTimer()
      section.release()
    },
    /** Cancels the server call in flight (sign-out, dispose): its result would be dropped. */
    abort: () => section.abort(),
    isDue: (tokens: TokenSet) => clock.now() >= dueAt(tokens),
    busy: () => inflight !== undefined,
    /** True while waiting out a backoff delay. */
    backingOff: () => retryAt !== undefined && clock.now() < retryAt && !inflight,
    /** Cancels the backoff wait so the next tick retries at once (the browser came back online). */
    retryNow() {
      notesFrom = clock.now()
      if (retryAt !== undefined) retryAt = notesFrom
    },
  }
}

export type Refresher = ReturnType<typeof createRefresher>
