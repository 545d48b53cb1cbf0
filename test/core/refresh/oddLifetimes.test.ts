import { describe, expect, it } from 'vitest'
import { pause } from '../../../src/core/refresh/pause'
import { floorAt, maxFloorMs, refreshDueAt } from '../../../src/core/refresh/schedule'
import { browser } from '../../helpers/browser'
import { flush } from '../../helpers/manualClock'

const minute = 60_000

describe('the floor under odd lifetimes', () => {
  it('applies only to refreshed tokens that live less than the floor, doubling up to 5 minutes', () => {
    const at = (version: number, lifetimeMs: number) =>
      floorAt({ receivedAt: 0, expiresAt: lifetimeMs, version }, 30_000)
    expect(at(1, 1_000)).toBeUndefined() // a sign-in's tokens are refreshed when due
    expect(at(2, 3_600_000)).toBeUndefined() // a sane lifetime: nothing changes
    expect(at(2, 30_000)).toBeUndefined()
    expect([2, 3, 4, 5, 6, 50].map((v) => at(v, 1_000))).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      maxFloorMs,
      maxFloorMs,
    ])
    // The schedule never brings such a refresh before the floor.
    expect(refreshDueAt({ receivedAt: 0, expiresAt: 1_000, version: 3 }, 0.5, 30_000)).toBe(60_000)
  })

  it('pause: until the floor, a call is refused with a ConfigurationError that keeps the session', () => {
    const tokens = { receivedAt: 0, expiresAt: 1_000, version: 2 } as Parameters<typeof pause>[0]
    const ctx = { minRefreshIntervalMs: 30_000, note: undefined, notesFrom: undefined }
    expect(pause(tokens, 29_999, ctx)).toMatchObject({
      wait: 30_000,
      error: { code: 'ConfigurationError', kind: 'fatal' },
    })
    expect(pause(tokens, 30_000, ctx)).toBeUndefined()
  })

  it('1 s tokens cost a few refreshes a minute for the whole browser, reads included', async () => {
    const { tabs, transport, clock } = browser(3, { expiresIn: 1, rotate: false })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    // Every tab reads a token every 100 ms for ten minutes, as an app polling an API would.
    for (let t = 0; t < 10 * minute; t += 100) {
      for (const tab of tabs) void tab.client.getAccessToken().catch(() => undefined)
      await clock.advance(100)
    }
    // The first refresh of the sign-in, then 30 s, 60 s, 120 s, 240 s, 300 s… apart: 6 in ten
    // minutes (it was several a second per tab).
    expect(transport.calls.length).toBeGreaterThanOrEqual(5)
    expect(transport.calls.length).toBeLessThanOrEqual(7)
    for (const tab of tabs) {
      expect(tab.client.getSnapshot().status).toBe('authenticated')
      expect(tab.signOuts()).toEqual([])
    }
  })

  it('a lower minRefreshIntervalMs lets tests run on second-long tokens', async () => {
    const { tabs, transport, clock } = browser(1, {
      expiresIn: 4,
      rotate: false,
      minRefreshIntervalMs: 1_000,
    })
    tabs[0]!.client.setSession(transport.signIn())
    await clock.advance(20_000)
    expect(transport.calls.length).toBeGreaterThanOrEqual(9) // every 2 s (half the lifetime)
  })
})
