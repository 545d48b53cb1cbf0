import { describe, expect, it } from 'vitest'
import { browser } from '../../helpers/browser'
import { flush } from '../../helpers/manualClock'

const hour = 3_600_000
const day = 24 * hour

describe('the session’s end is known', () => {
  it('sessionExpiresAt counts from the sign-in, and rotation never extends it', async () => {
    const { tabs, transport, clock } = browser(2, { refreshTokenValiditySeconds: 86_400 })
    const signedInAt = clock.now()
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    for (const tab of tabs) {
      expect(tab.client.getSnapshot().sessionExpiresAt).toBe(signedInAt + day)
    }
    await clock.advance(5 * hour) // about five rotations
    expect(tabs[1]!.client.getSnapshot().tokens!.version).toBeGreaterThan(3)
    for (const tab of tabs) {
      expect(tab.client.getSnapshot().sessionExpiresAt).toBe(signedInAt + day)
    }
  })

  it('sessionExpiring fires once per tab, sessionExpiryWarningSeconds before the end', async () => {
    const { tabs, transport, clock } = browser(2, {
      refreshTokenValiditySeconds: 2 * 3_600,
      sessionExpiryWarningSeconds: 600,
    })
    const { sessionId } = tabs[0]!.client.setSession(transport.signIn())
    const end = clock.now() + 2 * hour
    await flush()
    await clock.advance(2 * hour - 600_000 - 10_000)
    for (const tab of tabs) expect(tab.of('sessionExpiring')).toEqual([])
    await clock.advance(20_000) // the watchdog looks every 5 s at most
    for (const tab of tabs) {
      expect(tab.of('sessionExpiring')).toEqual([{ sessionId, sessionExpiresAt: end }])
    }
    await clock.advance(5 * 60_000)
    for (const tab of tabs) expect(tab.of('sessionExpiring')).toHaveLength(1)
  })

  it('Cognito refusing the refresh after sessionExpiresAt ends the session as expired', async () => {
    const { tabs, transport, clock } = browser(1, { refreshTokenValiditySeconds: 3_600 })
    tabs[0]!.client.setSession(transport.signIn())
    await clock.advance(hour)
    transport.fail('NotAuthorizedException')
    await expect(tabs[0]!.client.refresh({ force: true })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    })
    expect(tabs[0]!.client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'expired',
      sessionExpiresAt: null,
    })
  })

  it('without the validity, nothing is known and nothing fires', async () => {
    const { tabs, transport, clock } = browser(1)
    tabs[0]!.client.setSession(transport.signIn())
    await clock.advance(31 * day)
    expect(tabs[0]!.client.getSnapshot().sessionExpiresAt).toBeNull()
    expect(tabs[0]!.of('sessionExpiring')).toEqual([])
  })
})
