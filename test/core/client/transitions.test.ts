import { describe, expect, it } from 'vitest'
import type { AuthSnapshot } from '../../../src/core/state'
import { browser } from '../../helpers/browser'
import { flush } from '../../helpers/manualClock'
import { setup } from '../../helpers/testClient'

type Client = ReturnType<typeof setup>['client']

/** Every snapshot subscribers were woken for, as `status/refresh/reason/error` labels. */
function record(client: Client) {
  const seen: string[] = []
  const label = (s: AuthSnapshot) =>
    [s.status, s.refresh, s.signOutReason ?? '-', s.error?.code ?? '-'].join('/')
  client.subscribe(() => seen.push(label(client.getSnapshot())))
  return seen
}

describe('transitions: one notification each', () => {
  it('start without a session, sign-in, refresh, sign-out', async () => {
    const { client, transport, clock } = setup({ expiresIn: 300 })
    const seen = record(client)
    client.mount()
    client.setSession(transport.signIn())
    await client.refresh({ force: true })
    await client.signOut()
    await clock.advance(1)
    expect(seen).toEqual([
      'unauthenticated/idle/noSession/-',
      'authenticated/idle/-/-',
      'authenticated/refreshing/-/-',
      'authenticated/idle/-/-',
      'unauthenticated/idle/signOut/-',
    ])
  })

  it('a failing refresh: retrying with the error, then refreshed clears it', async () => {
    const { client, transport, clock } = setup({ expiresIn: 300 })
    client.mount()
    client.setSession(transport.signIn())
    const seen = record(client)
    transport.fail('NetworkError', { kind: 'retryable' })
    await client.refresh({ force: true }).catch(() => undefined)
    await clock.advance(300_000)
    expect(seen.slice(0, 4)).toEqual([
      'authenticated/refreshing/-/-',
      'authenticated/retrying/-/NetworkError',
      'authenticated/refreshing/-/NetworkError',
      'authenticated/idle/-/-',
    ])
  })

  it('sign-out while retrying: one notification, with the reason and no stale error', async () => {
    const { client, transport } = setup({ expiresIn: 300 })
    client.mount()
    client.setSession(transport.signIn())
    transport.fail('NetworkError', { kind: 'retryable' })
    await client.refresh({ force: true }).catch(() => undefined)
    const seen = record(client)
    await client.signOut()
    expect(seen).toEqual(['unauthenticated/idle/signOut/-'])
  })

  it('a rejected refresh token: one notification, signed out as rejected with the error', async () => {
    const { client, transport } = setup({ expiresIn: 300 })
    client.mount()
    client.setSession(transport.signIn())
    const seen = record(client)
    transport.fail('NotAuthorizedException', { kind: 'terminal' })
    await client.refresh({ force: true }).catch(() => undefined)
    expect(seen).toEqual([
      'authenticated/refreshing/-/-',
      'unauthenticated/idle/rejected/NotAuthorizedException',
    ])
  })

  it('another tab: its refresh is adopted, and its sign-out ends ours, once each', async () => {
    const { tabs, transport } = browser(2, { expiresIn: 300 })
    const [a, b] = [tabs[0]!, tabs[1]!]
    a.client.setSession(transport.signIn())
    await flush()
    const seen = record(b.client)
    await a.client.refresh({ force: true })
    await flush()
    await a.client.signOut()
    await flush()
    expect(seen).toEqual(['authenticated/idle/-/-', 'unauthenticated/idle/signOut/-'])
  })
})
