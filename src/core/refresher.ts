/**
 * The refresh machinery of one client: when to refresh (schedule, watchdog, backoff), the in-tab
 * single flight, and what a failure does. The cross-tab part, run under the lock, is in
 * criticalSection.ts. It never ends a session itself; it asks the client to.
 */
import { backoffCapMs, backoffDelay, type BackoffOptions, defaultBackoff } from './backoff'
import type { TimerHandle } from './clock'
import { type CriticalSectionContext, createCriticalSection, type Outcome } from './criticalSection'
import { type AuthError, toAuthError } from './errors'
import type { SignOutReason } from './events'
import type { Lock } from './lock'
import { refreshDueAt, watchdogIntervalMs } from './schedule'
import type { AuthSnapshot } from './state'
import type { TokenSet } from './tokens'

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
  /** Storage shows that another tab signed out: end here too, quietly. */
  signedOutElsewhere(): void
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

  async function execute(start: TokenSet): Promise<TokenSet> {
    const epoch = currentEpoch()
    clearTimer()
    set({ refresh: 'refreshing' })
    try {
      const work = (contended?: boolean) => section.run(start, epoch, contended)
      const locked = await ctx.lock.request(ctx.lockName, ctx.lockTimeoutMs, work, section.linger)
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
    /** Leaves nothing running: no timer, and a lock kept after a refresh is released now. */
    stop() {
      clearTimer()
      section.release()
    },
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
