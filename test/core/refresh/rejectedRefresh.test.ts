import { describe, expect, it } from 'vitest'
import { propagationWaitMs } from '../../../src/core/refresh/criticalSection'
import { browser } from '../../helpers/browser'
import { flush } from '../../helpers/manualClock'

// refresh({ force: true, rejectedToken }): what an auth fetch calls when an API answers 401.
describe('a refresh for a rejected access token', () => {
  it('costs one refresh per generation, however many 401s arrive, in one tab or many', async () => {
    const { tabs, transport, clock } = browser(3)
    const first = tabs[0]!.client.setSession(transport.signIn())
    await flush()
    // 100 concurrent 401s in each tab for the same token: one refresh for the whole browser.
    const all = Promise.all(
      tabs.flatMap((tab) =>
        Array.from({ length: 100 }, () =>
          tab.client.refresh({ force: true, rejectedToken: first.accessToken }),
        ),
      ),
    )
    await clock.advance(propagationWaitMs) // the refreshing tab keeps the lock a moment
    const refreshed = await all
    expect(transport.calls).toHaveLength(1)
    const second = refreshed[0]!
    expect(second.version).toBe(2)
    expect(new Set(refreshed.map((t) => t.accessToken))).toEqual(new Set([second.accessToken]))
    await flush()
    // The API refuses the fresh token too: no tab refreshes again for this generation.
    for (const tab of tabs) {
      for (let i = 0; i < 100; i++) {
        const next = await tab.client.refresh({ force: true, rejectedToken: second.accessToken })
        expect(next.version).toBe(2)
      }
    }
    expect(transport.calls).toHaveLength(1)
  })

  it('a token that is no longer current resolves with the current one, without a call', async () => {
    const { tabs, transport } = browser(1)
    const first = tabs[0]!.client.setSession(transport.signIn())
    const second = await tabs[0]!.client.refresh({ force: true })
    const calls = transport.calls.length
    const got = await tabs[0]!.client.refresh({ force: true, rejectedToken: first.accessToken })
    expect(got.accessToken).toBe(second.accessToken)
    expect(transport.calls).toHaveLength(calls)
  })

  it('a generation the schedule refreshed earns one forced refresh when it is refused', async () => {
    const { tabs, transport, clock } = browser(2, { expiresIn: 300 })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    await clock.advance(300_000) // the schedule refreshes once: version 2, not from a 401
    const scheduled = tabs[1]!.client.getSnapshot().tokens!
    expect(scheduled.version).toBe(2)
    const calls = transport.calls.length
    const forced = await tabs[1]!.client.refresh({
      force: true,
      rejectedToken: scheduled.accessToken,
    })
    expect(forced.version).toBe(3)
    expect(transport.calls).toHaveLength(calls + 1)
    await flush()
    // The other tab's 401 on the token the forced refresh produced does not refresh again.
    await tabs[0]!.client.refresh({ force: true, rejectedToken: forced.accessToken })
    expect(transport.calls).toHaveLength(calls + 1)
  })
})
