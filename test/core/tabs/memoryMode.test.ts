import { describe, expect, it } from 'vitest'
import { propagationWaitMs } from '../../../src/core/refresh/criticalSection'
import { memoryStorage } from '../../../src/core/platform/storage'
import { createChannelHub, createLockManager } from '../../helpers/fakeEnvironment'
import { createFakeTransport } from '../../helpers/fakeTransport'
import { flush, ManualClock } from '../../helpers/manualClock'
import { setup, sharedStorage } from '../../helpers/testClient'

/** Tabs whose sessions live in memory only; `marker` plays the part of localStorage. */
function memoryBrowser() {
  const clock = new ManualClock()
  const transport = createFakeTransport({ now: clock.now, rotate: true })
  const marker = sharedStorage()
  const hub = createChannelHub()
  const locks = createLockManager()
  const open = () =>
    setup({
      clock,
      transport,
      storage: memoryStorage(),
      versionMarker: marker,
      channel: hub.channel(),
      lock: locks.lock,
    })
  return { clock, transport, marker, open }
}

describe('memory-only mode', () => {
  it('never writes token material outside memory', async () => {
    const { transport, marker, open } = memoryBrowser()
    const a = open()
    a.client.mount()
    const signIn = transport.signIn()
    a.client.setSession(signIn)
    const refreshed = await a.client.refresh({ force: true })
    const persisted = [...marker.map.values()].join('\n')
    for (const secret of [
      signIn.RefreshToken!,
      signIn.AccessToken,
      signIn.IdToken!,
      refreshed.refreshToken,
      refreshed.accessToken,
    ]) {
      expect(persisted).not.toContain(secret)
    }
    expect(JSON.parse(persisted)).toEqual({
      sessionId: refreshed.sessionId,
      version: 2,
      signedInAt: refreshed.signedInAt,
    })
  })

  it('a new tab asks the open tabs for the session and adopts it with no refresh call', async () => {
    const { transport, clock, open } = memoryBrowser()
    const a = open()
    a.client.mount()
    const tokens = a.client.setSession(transport.signIn())
    const b = open()
    b.client.mount()
    expect(b.client.getSnapshot().status).toBe('loading')
    const token = b.client.getAccessToken()
    await clock.advance(50)
    expect(b.client.getSnapshot()).toMatchObject({ status: 'authenticated' })
    expect(b.client.getSnapshot().tokens?.sessionId).toBe(tokens.sessionId)
    await expect(token).resolves.toBe(tokens.accessToken)
    expect(transport.calls).toHaveLength(0)
  })

  it('ends when the last tab closes', async () => {
    const { transport, clock, marker, open } = memoryBrowser()
    const a = open()
    a.client.mount()
    a.client.setSession(transport.signIn())
    a.client.dispose() // the only tab closes; its memory is gone
    const b = open()
    b.client.mount()
    expect(b.client.getSnapshot().status).toBe('loading')
    await clock.advance(500)
    expect(b.client.getSnapshot().status).toBe('unauthenticated')
    expect(marker.map.size).toBe(0) // the stale marker is cleared
  })

  it('starts signed out at once when no tab has a session', () => {
    const { open } = memoryBrowser()
    const a = open()
    a.client.mount()
    expect(a.client.getSnapshot().status).toBe('unauthenticated')
  })

  it('a tab that missed a refresh asks its peers instead of reusing a rotated token', async () => {
    const { transport, clock, open } = memoryBrowser()
    const a = open()
    const b = open()
    a.client.mount()
    const unmountB = b.client.mount()
    a.client.setSession(transport.signIn())
    await flush()
    unmountB() // B hears nothing while A rotates
    await a.client.refresh({ force: true })
    const pending = b.client.refresh({ force: true })
    // A keeps the lock a moment after its write; B, contended, gives A's result time to arrive.
    await clock.advance(2 * propagationWaitMs + 50)
    await expect(pending).resolves.toMatchObject({ version: 2 })
    expect(transport.calls).toHaveLength(1)
    expect(b.signOuts()).toEqual([])
  })

  it('sign-out clears the marker and reaches every tab', async () => {
    const { transport, marker, open } = memoryBrowser()
    const a = open()
    const b = open()
    a.client.mount()
    b.client.mount()
    a.client.setSession(transport.signIn())
    await flush()
    await b.client.signOut()
    await flush()
    expect(a.client.getSnapshot().status).toBe('unauthenticated')
    expect(marker.map.size).toBe(0)
  })
})
