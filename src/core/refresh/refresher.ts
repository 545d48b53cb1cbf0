/**
 * The refresh machinery of one client: when to refresh (schedule, watchdog, backoff), the in-tab
 * single flight, and what a failure does. The cross-tab part, run under the lock, is in
 * criticalSection.ts. It reports what a refresh found to the session (refresherContext.ts): new
 * tokens, a wait, or an end that the server's answer or another tab's sign-out decided; and it
 * follows the session's changes through `watch` and `subscribe`, so nothing calls back into it.
 */
import { backoffCapMs, backoffDelay, defaultBackoff } from './backoff'
import { createCriticalSection, type RunOptions, type Settled } from './criticalSection'
import { type AuthError, toAuthError } from '../errors'
import type { TimerHandle } from '../platform/clock'
import { noLock } from '../platform/lock'
import { lockedRun } from './lockedRun'
import type { Pause } from './pause'
import type { RefresherContext, RefreshWhy } from './refresherContext'
import { refreshDueAt, watchdogIntervalMs } from './schedule'
import type { TokenSet } from '../tokens'

export type {
  RefresherContext,
  RefreshSession,
  RefreshWhy,
  SessionChange,
} from './refresherContext'

export function createRefresher(ctx: RefresherContext) {
  const { clock, emitter, session, mounted, disposed } = ctx
  const { snapshot, dispatch, epoch: currentEpoch } = session
  const section = createCriticalSection({ ...ctx, snapshot, epoch: currentEpoch })
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
    dispatch({ type: 'refreshStarted' })
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
      // Without a lock no other tab can be waiting for it: nothing to linger for.
      const locked = await lockedRun(ctx, work, ctx.lock === noLock ? undefined : section.linger)
      let outcome: Settled
      if (locked.acquired) outcome = locked.value
      else {
        emitter.emit('lockUnavailable', { reason: locked.reason })
        outcome = await work()
      }
      if (epoch !== currentEpoch()) throw discarded(start)
      if ('gone' in outcome) {
        session.end(outcome.reason ?? 'signOut', { from: 'otherTab' })
        throw discarded(start)
      }
      if ('wait' in outcome) {
        failed = false
        waitUntil(outcome.wait, outcome.error, outcome.attempt)
        throw outcome.error
      }
      reset()
      if (outcome.tokens.sessionId !== start.sessionId) {
        session.take(outcome.tokens, { from: 'otherTab' })
        return outcome.tokens
      }
      const held = snapshot().tokens
      if (
        outcome.via !== 'network' &&
        held?.sessionId === outcome.tokens.sessionId &&
        held.version >= outcome.tokens.version
      ) {
        // Another tab's message brought these tokens while we waited: adopted once, not twice.
        dispatch({ type: 'refreshSettled' })
        return held
      }
      dispatch({ type: 'refreshed', tokens: outcome.tokens })
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
      const reason = error.kind === 'reuse' ? 'reuse' : expired ? 'expired' : 'rejected'
      session.end(reason, { error, from: 'here' })
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
    dispatch(
      error.kind === 'fatal' ? { type: 'refreshFailed', error } : { type: 'retrying', error },
    )
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

  // A new session or version starts a fresh backoff; an ended one leaves nothing running.
  session.watch((change) => {
    if (change === 'ended') {
      section.abort()
      clearTimer()
    }
    reset()
  })
  // New tokens, whoever brought them, move the timer (a refresh in flight schedules as it ends).
  let scheduledFor = snapshot().tokens
  session.subscribe(() => {
    const { tokens } = snapshot()
    if (tokens === scheduledFor) return
    scheduledFor = tokens
    if (tokens !== null) schedule()
  })

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
