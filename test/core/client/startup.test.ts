import { describe, expect, it } from 'vitest'
import { serializeTombstone } from '../../../src/core/storedSession'
import { createChannelHub } from '../../helpers/fakeEnvironment'
import { createFakeTransport } from '../../helpers/fakeTransport'
import { flush, ManualClock } from '../../helpers/manualClock'
import { setup, sharedStorage } from '../../helpers/testClient'

const key = 'react-cognito-refresh.testclient'

/** A signed-in tab, and the storage, clock and channel hub a second tab will share with it. */
async function signedInTab() {
  const clock = new ManualClock()
  const transport = createFakeTransport({ now: clock.now })
  const storage = sharedStorage()
  const hub = createChannelHub()
  const shared = { clock, transport, storage }
  const first = setup({ ...shared, channel: hub.channel() })
  first.client.mount()
  const tokens = first.client.setSession(transport.signIn())
  await flush()
  const open = () => setup({ ...shared, channel: hub.channel() })
  return { first, tokens, storage, clock, open }
}

describe('a tab that opens on a corrupt or empty shared slot', () => {
  it('corrupt: asks the other tabs before deciding, takes their session and repairs the slot', async () => {
    const { tokens, storage, clock, open } = await signedInTab()
    storage.map.set(key, '{"format":1,')
    const second = open()
    second.client.mount()
    expect(second.client.getSnapshot().status).toBe('loading')
    await clock.advance(100) // the first answer, and a moment for a newer one
    expect(second.client.getSnapshot().tokens?.sessionId).toBe(tokens.sessionId)
    expect(second.signOuts()).toEqual([])
    expect(second.of('signedOut')).toEqual([])
    expect(JSON.parse(storage.map.get(key)!)).toMatchObject({ sessionId: tokens.sessionId })
  })

  it('empty (storage cleared under open tabs): decides at once, then follows a tab that answers', async () => {
    const { tokens, storage, open } = await signedInTab()
    storage.map.clear()
    const second = open()
    second.client.mount()
    // A signed-out visitor must not wait: the start decides now, with a reason and an event.
    expect(second.client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'noSession',
    })
    expect(second.of('signedOut')).toEqual([
      { reason: 'noSession', fromOtherTab: false, error: undefined },
    ])
    await flush()
    await flush()
    expect(second.client.getSnapshot()).toMatchObject({ status: 'authenticated' })
    expect(second.client.getSnapshot().tokens?.sessionId).toBe(tokens.sessionId)
    expect(second.of('signedIn')).toEqual([expect.objectContaining({ fromOtherTab: true })])
    expect(JSON.parse(storage.map.get(key)!)).toMatchObject({ sessionId: tokens.sessionId })
  })

  it('a tombstone: signed out at once, nobody asked, and no other tab can bring it back', async () => {
    const { tokens, storage, open } = await signedInTab()
    storage.map.set(key, serializeTombstone(tokens, 'signOut'))
    const second = open()
    second.client.mount()
    await flush()
    await flush()
    expect(second.client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'noSession',
    })
    expect(second.hub.log).toEqual([])
  })

  it('nobody answers: unauthenticated after peerTimeoutMs, with the reason and the event', async () => {
    const { client, storage, clock, of } = setup()
    storage.map.set(key, '"not ours"')
    client.mount()
    expect(client.getSnapshot().status).toBe('loading')
    await clock.advance(500)
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'noSession',
      error: null,
    })
    expect(of('signedOut')).toEqual([
      { reason: 'noSession', fromOtherTab: false, error: undefined },
    ])
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'NoSession' })
  })
})
