import { describe, expect, it } from 'vitest'
import type { AuthError } from '../../../src/core/errors'
import { createEmitter } from '../../../src/core/events'
import { noChannel } from '../../../src/core/platform/channel'
import { noLock } from '../../../src/core/platform/lock'
import { createRefresher, type RefreshSession } from '../../../src/core/refresh/refresher'
import { type AuthAction, loadingSnapshot, reduce } from '../../../src/core/state'
import { createStore } from '../../../src/core/store'
import { createSessionSync } from '../../../src/core/tabs/sessionSync'
import { createTokenSet, type TokenSet } from '../../../src/core/tokens'
import type { Transport } from '../../../src/core/transports/types'
import { createFakeTransport } from '../../helpers/fakeTransport'
import { flush, ManualClock } from '../../helpers/manualClock'
import { sharedStorage } from '../../helpers/testClient'

/**
 * The refresher on its own: a session that only records what the refresher reports to it (the
 * client's session part is not involved), a real session sync on Map storage, the manual clock.
 */
function refresherOn(transport: Transport & { signIn(): unknown }, clock: ManualClock) {
  const emitter = createEmitter()
  const sync = createSessionSync({
    storage: sharedStorage(),
    marker: undefined,
    key: 'k',
    channel: noChannel,
    clock,
    tabId: 't1',
    emitter,
    randomId: () => 'id',
  })
  const store = createStore(loadingSnapshot)
  const actions: AuthAction['type'][] = []
  const ended: { reason: string; error?: AuthError | undefined; from: string }[] = []
  const watchers = new Set<(change: 'taken' | 'adopted' | 'ended') => void>()
  let epoch = 0
  const ctx = { now: clock.now, sessionExpiresAt: () => null }
  const session: RefreshSession = {
    snapshot: store.getSnapshot,
    subscribe: store.subscribe,
    dispatch(action) {
      actions.push(action.type)
      store.setState(reduce(store.getSnapshot(), action, ctx))
    },
    epoch: () => epoch,
    take: () => undefined,
    end(reason, { error, from }) {
      ended.push({ reason, error, from })
    },
    watch(watcher) {
      watchers.add(watcher)
      return () => void watchers.delete(watcher)
    },
  }
  // Every call's signal, to see which calls were cancelled.
  const signals: AbortSignal[] = []
  const watched: Transport = {
    name: transport.name,
    refresh: (request, options) => {
      signals.push(options.signal)
      return transport.refresh(request, options)
    },
  }
  const refresher = createRefresher({
    clock,
    random: () => 0.5,
    jitter: 0.5,
    transport: watched,
    lock: noLock,
    lockName: 'k.refresh',
    lockTimeoutMs: 10_000,
    peerTimeoutMs: 50,
    refreshTimeoutMs: 20_000,
    minRefreshIntervalMs: 30_000,
    backoff: undefined,
    clientMetadata: undefined,
    sync,
    emitter,
    session,
    mounted: () => true,
    disposed: () => false,
    sessionExpiresAt: () => undefined,
    sessionExpiryWarningMs: 300_000,
  })
  const signIn = (): TokenSet => {
    const tokens = createTokenSet(transport.signIn(), { now: clock.now(), sessionId: 's1' })
    sync.write(tokens, { replace: true })
    session.dispatch({ type: 'signedIn', tokens })
    return tokens
  }
  /** What the session part does when a session ends: epoch, watchers, then the snapshot. */
  const endHere = () => {
    epoch++
    for (const watcher of watchers) watcher('ended')
    session.dispatch({ type: 'signedOut', reason: 'signOut', error: undefined })
  }
  return { refresher, session, store, actions, ended, signIn, endHere, signals }
}

describe('the refresher, against the session it reports to', () => {
  it('a due refresh: started, then refreshed with the next version, one call', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now, rotate: true })
    const { refresher, actions, store, signIn } = refresherOn(transport, clock)
    const tokens = signIn()
    const next = await refresher.run(tokens, 'asked')
    expect(transport.calls).toHaveLength(1)
    expect(next.version).toBe(tokens.version + 1)
    expect(actions).toEqual(['signedIn', 'refreshStarted', 'refreshed'])
    expect(store.getSnapshot().tokens).toBe(next)
  })

  it('joins the refresh under way instead of starting a second', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now })
    const { refresher, signIn } = refresherOn(transport, clock)
    const tokens = signIn()
    const release = transport.gate()
    const a = refresher.run(tokens, 'asked')
    const b = refresher.run(tokens, 'needed')
    expect(refresher.busy()).toBe(true)
    release()
    expect(await a).toBe(await b)
    expect(transport.calls).toHaveLength(1)
  })

  it('a network failure waits out a backoff on the clock, then succeeds; the session never ends', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now })
    const { refresher, actions, ended, signIn } = refresherOn(transport, clock)
    const tokens = signIn()
    transport.fail('NetworkError', { kind: 'retryable' })
    await expect(refresher.run(tokens, 'asked')).rejects.toMatchObject({ code: 'NetworkError' })
    expect(actions.at(-1)).toBe('retrying')
    expect(refresher.backingOff()).toBe(true)
    await clock.advance(5 * 60_000)
    expect(transport.calls).toHaveLength(2)
    expect(actions.at(-1)).toBe('refreshed')
    expect(ended).toEqual([])
  })

  it('a rejected refresh token is reported as an end, here, with the error', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now })
    const { refresher, actions, ended, signIn } = refresherOn(transport, clock)
    const tokens = signIn()
    transport.fail('NotAuthorizedException', { kind: 'terminal' })
    await expect(refresher.run(tokens, 'asked')).rejects.toMatchObject({ kind: 'terminal' })
    expect(ended).toEqual([
      { reason: 'rejected', error: expect.objectContaining({ kind: 'terminal' }), from: 'here' },
    ])
    expect(actions).not.toContain('signedOut') // the session part decides the snapshot
  })

  it('an ended session aborts the call in flight and drops its result', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now })
    const { refresher, actions, signIn, endHere, signals } = refresherOn(transport, clock)
    const tokens = signIn()
    const release = transport.gate()
    const run = refresher.run(tokens, 'asked')
    await flush()
    endHere()
    expect(signals.map((signal) => signal.aborted)).toEqual([true])
    release()
    await expect(run).rejects.toMatchObject({ code: 'SignedOut' })
    expect(actions).toEqual(['signedIn', 'refreshStarted', 'signedOut']) // no refreshed
    expect(clock.pendingTimers).toBe(0)
  })
})
