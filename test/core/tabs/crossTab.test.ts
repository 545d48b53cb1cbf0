import { describe, expect, it } from 'vitest'
import { propagationWaitMs } from '../../../src/core/refresh/criticalSection'
import type { Lock } from '../../../src/core/platform/lock'
import { createMessage } from '../../../src/core/tabs/messages'
import { memoryStorage } from '../../../src/core/platform/storage'
import { serializeSession } from '../../../src/core/storedSession'
import { createChannelHub, createLockManager } from '../../helpers/fakeEnvironment'
import { createFakeTransport } from '../../helpers/fakeTransport'
import { flush, ManualClock } from '../../helpers/manualClock'
import { browser } from '../../helpers/browser'
import { setup, sharedStorage } from '../../helpers/testClient'

describe('cross-tab', () => {
  it('a sign-in in one tab reaches the others', async () => {
    const { tabs, transport } = browser(3)
    const tokens = tabs[0]!.client.setSession(transport.signIn())
    await flush()
    for (const tab of tabs)
      expect(tab.client.getSnapshot().tokens?.sessionId).toBe(tokens.sessionId)
    expect(tabs[1]!.of('signedIn')).toEqual([expect.objectContaining({ fromOtherTab: true })])
  })

  it('one refresh per lifetime for the whole browser, and every tab converges', async () => {
    const { tabs, transport, clock } = browser(4, { expiresIn: 300 })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    await clock.advance(10 * 300_000)
    // Each token is refreshed once, 60-90 s before it lapses: one call per version, none wasted.
    const versions = tabs.map((t) => t.client.getSnapshot().tokens?.version)
    expect(new Set(versions).size).toBe(1)
    expect(transport.calls.length).toBe(versions[0]! - 1)
    expect(transport.calls.length).toBeGreaterThanOrEqual(Math.floor(3_000 / 240))
    expect(transport.calls.length).toBeLessThanOrEqual(Math.ceil(3_000 / 210))
    const refreshTokens = transport.calls.map((c) => c.refreshToken)
    expect(new Set(refreshTokens).size).toBe(refreshTokens.length) // never a reused token
  })

  it('tabs due at the same moment make one call: the second re-reads inside the lock and adopts', async () => {
    const { tabs, transport, locks, clock } = browser(2)
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const both = Promise.all(tabs.map((t) => t.client.refresh({ force: true })))
    await clock.advance(propagationWaitMs) // the first holder keeps the lock a moment
    const [a, b] = await both
    expect(transport.calls).toHaveLength(1)
    expect(a!.version).toBe(2)
    expect(b!.version).toBe(2)
    expect(locks.maxHeld).toBe(1)
    expect(
      tabs[1]!.of('tokensAdopted').length + tabs[0]!.of('tokensAdopted').length,
    ).toBeGreaterThanOrEqual(1)
  })

  it('sign-out in one tab signs out every tab, with the reason', async () => {
    const { tabs, transport } = browser(3)
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    await tabs[2]!.client.signOut()
    await flush()
    for (const tab of tabs)
      expect(tab.client.getSnapshot()).toMatchObject({
        status: 'unauthenticated',
        signOutReason: 'signOut',
      })
    expect(tabs[0]!.signOuts()).toEqual([
      { reason: 'signOut', fromOtherTab: true, error: undefined },
    ])
  })

  it('a rotated-away refresh token recovers from shared storage instead of signing out', async () => {
    const { tabs, transport, storage, clock } = browser(2, { rotate: true })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const stale = tabs[1]!.client.getSnapshot().tokens!
    // Tab A refreshes but its message never reaches B (e.g. B was frozen).
    const fresh = await tabs[0]!.client.refresh({ force: true })
    // B's in-memory tokens still hold the old refresh token; it calls with it and gets a reuse error.
    const b = setup({
      clock,
      transport,
      storage: sharedStorage(new Map()),
      channel: createChannelHub().channel(),
    })
    b.client.setSession({
      AccessToken: stale.accessToken,
      ExpiresIn: 3600,
      RefreshToken: stale.refreshToken,
    })
    b.storage.map.set(
      'react-cognito-refresh.testclient',
      serializeSession({ ...fresh, sessionId: b.client.getSnapshot().tokens!.sessionId }),
    )
    const recovered = await b.client.refresh({ force: true })
    expect(recovered.refreshToken).toBe(fresh.refreshToken)
    expect(b.client.getSnapshot().status).toBe('authenticated')
    expect(b.signOuts()).toEqual([])
    expect(storage.map.size).toBe(1)
  })

  it('asks the other tabs before ending a session on a reuse error', async () => {
    const { transport, clock } = browser(0, { rotate: true })
    const hub = createChannelHub()
    // Tab-private storage: B has no shared copy to re-read.
    const a = setup({ clock, transport, storage: memoryStorage(), channel: hub.channel() })
    const b = setup({
      clock,
      transport,
      storage: memoryStorage(),
      channel: hub.channel(),
      peerTimeoutMs: 200,
    })
    a.client.mount()
    const unmountB = b.client.mount()
    a.client.setSession(transport.signIn())
    await flush()
    expect(b.client.getSnapshot().tokens?.version).toBe(1)
    unmountB() // B is frozen: it hears nothing while A rotates the refresh token
    await a.client.refresh({ force: true })
    const pending = b.client.refresh({ force: true })
    await clock.advance(200)
    await expect(pending).resolves.toMatchObject({ version: 2 })
    expect(b.client.getSnapshot().status).toBe('authenticated')
    expect(b.signOuts()).toEqual([])
    expect(transport.calls.map((c) => c.refreshToken)).toHaveLength(2) // A's refresh, B's refused one
  })

  it('ends the session when no tab holds a newer token', async () => {
    const { tabs, transport, clock } = browser(1, { rotate: true })
    tabs[0]!.client.setSession(transport.signIn())
    transport.fail('RefreshTokenReuseException')
    const pending = tabs[0]!.client.refresh({ force: true }).catch((e: unknown) => e)
    await clock.advance(500)
    expect(await pending).toMatchObject({ code: 'RefreshTokenReuseException' })
    expect(tabs[0]!.client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'reuse',
    })
  })

  it('a different user signing in elsewhere replaces this tab’s session, never mixing tokens', async () => {
    const { tabs, clock } = browser(2)
    const alice = createFakeTransport({ now: clock.now, sub: 'alice' })
    const bob = createFakeTransport({ now: clock.now, sub: 'bob' })
    tabs[0]!.client.setSession(alice.signIn())
    await flush()
    tabs[1]!.client.setSession(bob.signIn())
    await flush()
    const snapshot = tabs[0]!.client.getSnapshot().tokens!
    expect(snapshot.accessClaims.sub).toBe('bob')
    expect(snapshot.idClaims?.sub).toBe('bob')
    expect(tabs[0]!.of('sessionReplaced')).toEqual([{ previousUserId: 'alice', userId: 'bob' }])
  })

  it('ignores messages from other libraries and malformed ones, with an event', async () => {
    const { tabs, hub, transport } = browser(1)
    tabs[0]!.client.setSession(transport.signIn())
    const before = tabs[0]!.client.getSnapshot()
    hub.inject({ type: 'SIGNED_OUT', source: 'supabase' })
    hub.inject('hello')
    hub.inject(null)
    hub.inject({ protocol: 'react-cognito-refresh', v: 2, from: 'x', type: 'signedOut' })
    hub.inject({
      protocol: 'react-cognito-refresh',
      v: 1,
      from: 'x',
      type: 'signedOut',
      reason: 'nope',
      sessionId: null,
    })
    hub.inject({
      ...createMessage('x', { type: 'tokens', cause: 'refreshed', session: '{"format":1}' }),
    })
    expect(tabs[0]!.client.getSnapshot()).toBe(before)
    expect(tabs[0]!.of('messageIgnored').map((e) => e.reason)).toEqual([
      'foreign',
      'foreign',
      'foreign',
      'version',
      'invalid',
      'invalid',
    ])
  })

  it('goes ahead after a re-read when the lock cannot be had, and says so', async () => {
    const unavailable: Lock = { request: async () => ({ acquired: false, reason: 'timeout' }) }
    const { tabs, transport } = browser(1, { lock: unavailable })
    tabs[0]!.client.setSession(transport.signIn())
    await tabs[0]!.client.refresh({ force: true })
    expect(transport.calls).toHaveLength(1)
    expect(tabs[0]!.of('lockUnavailable')).toEqual([{ reason: 'timeout' }])
  })

  it('never lets an older version overwrite a newer one in storage', async () => {
    const { tabs, transport, storage } = browser(1)
    const first = tabs[0]!.client.setSession(transport.signIn())
    const second = await tabs[0]!.client.refresh({ force: true })
    const key = 'react-cognito-refresh.testclient'
    storage.map.set(key, serializeSession({ ...second, version: 5 }))
    const b = setup({
      transport,
      storage,
      clock: tabs[0]!.clock,
      channel: createChannelHub().channel(),
    })
    b.client.mount()
    expect(b.client.getSnapshot().tokens!.version).toBe(5)
    // A stale in-memory copy refreshing now must not write version 3 over version 5.
    void first
    expect(JSON.parse(storage.map.get(key)!).version).toBe(5)
  })
})

describe('cross-tab: events', () => {
  it('adopts tokens once when a message brings them while this tab waits for the lock', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now, rotate: true })
    const storage = sharedStorage()
    const hub = createChannelHub()
    const locks = createLockManager()
    const a = setup({ clock, transport, storage, channel: hub.channel(), lock: locks.lock })
    const b = setup({ clock, transport, storage, channel: hub.channel(), lock: locks.lock })
    a.client.mount()
    b.client.mount()
    a.client.setSession(transport.signIn())
    await flush()
    const release = transport.gate()
    const first = a.client.refresh({ force: true })
    await flush()
    const second = b.client.refresh({ force: true }) // waits for A's lock
    release()
    await clock.advance(propagationWaitMs) // A keeps the lock a moment after its write
    await Promise.all([first, second])
    expect(transport.calls).toHaveLength(1)
    expect(b.of('tokensAdopted')).toHaveLength(1)
  })
})

describe('cross-tab: storage that lags the lock', () => {
  it('uses tokens a message brought while waiting for the lock, even if storage is behind', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now, rotate: true })
    const hub = createChannelHub()
    const locks = createLockManager()
    // Two views of "localStorage": B's never sees A's writes (a renderer whose copy lags).
    const aStorage = sharedStorage()
    const a = setup({
      clock,
      transport,
      storage: aStorage,
      channel: hub.channel(),
      lock: locks.lock,
    })
    a.client.mount()
    a.client.setSession(transport.signIn())
    const bStorage = sharedStorage(new Map(aStorage.map))
    const b = setup({
      clock,
      transport,
      storage: bStorage,
      channel: hub.channel(),
      lock: locks.lock,
    })
    b.client.mount()
    const release = transport.gate()
    const first = a.client.refresh({ force: true })
    await flush()
    const second = b.client.refresh({ force: true }) // waits for A's lock; storage will be stale
    release()
    await clock.advance(propagationWaitMs) // A keeps the lock a moment after its write
    const [fromA, fromB] = await Promise.all([first, second])
    expect(transport.calls).toHaveLength(1)
    expect(fromB.version).toBe(fromA.version)
  })
})
