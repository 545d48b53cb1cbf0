import { describe, expect, it } from 'vitest'
import { propagationWaitMs } from '../../../src/core/refresh/criticalSection'
import { createMessage } from '../../../src/core/tabs/messages'
import { maxVersion } from '../../../src/core/storedSession'
import { parseSession, serializeSession } from '../../../src/core/storedSession'
import type { TokenSet } from '../../../src/core/tokens'
import { browser } from '../../helpers/browser'
import { flush } from '../../helpers/manualClock'
import { authResult } from '../../helpers/tokens'

const key = 'react-cognito-refresh.testclient'
const mallory = '99999999-8888-4777-8666-555555555555'

/** `tokens`' session id and version with another user's tokens inside. */
function foreignUnder(tokens: TokenSet, version: number): string {
  const other = authResult({ sub: mallory })
  const blob = JSON.parse(serializeSession(tokens)) as Record<string, unknown>
  return JSON.stringify({
    ...blob,
    version,
    accessToken: other.AccessToken,
    idToken: other.IdToken,
    refreshToken: other.RefreshToken,
  })
}

describe('the cross-tab protocol resists forged and corrupt messages', () => {
  it('a signedOut message ends only the session it names; one without a session id ends none', async () => {
    const { tabs, transport, hub } = browser(2)
    const tokens = tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const forged = (sessionId: string | null) =>
      hub.inject(createMessage('mallory', { type: 'signedOut', sessionId, reason: 'reuse' }))
    forged(null)
    forged('some-other-session')
    await flush()
    for (const tab of tabs) {
      expect(tab.client.getSnapshot().tokens?.sessionId).toBe(tokens.sessionId)
      expect(tab.signOuts()).toEqual([])
    }
    forged(tokens.sessionId)
    await flush()
    expect(tabs[1]!.signOuts()).toEqual([{ reason: 'reuse', fromOtherTab: true, error: undefined }])
  })

  it('tokens under our session id but of another user are ignored, by message and in storage', async () => {
    const { tabs, transport, hub, storage } = browser(2)
    const tokens = tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const session = foreignUnder(tokens, 5)
    hub.inject(createMessage('mallory', { type: 'tokens', cause: 'refreshed', session }))
    await flush()
    for (const tab of tabs) {
      expect(tab.client.getSnapshot().tokens?.accessToken).toBe(tokens.accessToken)
      expect(tab.of('messageIgnored')).toContainEqual({ reason: 'invalid' })
    }
    // The same in shared storage: a refresh does not take it, overwrites it and keeps the user.
    storage.map.set(key, session)
    const next = await tabs[1]!.client.refresh({ force: true })
    expect(next.accessClaims.sub).toBe(tokens.accessClaims.sub)
    expect(next.version).toBe(2)
    const stored = parseSession(storage.map.get(key)!)
    expect(stored.ok && stored.tokens.accessClaims.sub).toBe(tokens.accessClaims.sub)
    for (const tab of tabs) expect(tab.signOuts()).toEqual([])
  })

  it('a version beyond any sane bound is corrupt, not newer: the session goes on', async () => {
    const { tabs, transport, storage, clock } = browser(2, { rotate: true })
    const tokens = tabs[0]!.client.setSession(transport.signIn())
    await flush()
    for (const version of [2 ** 53, maxVersion + 1, 1.5, -3]) {
      const blob = { ...(JSON.parse(serializeSession(tokens)) as object), version }
      expect(parseSession(JSON.stringify(blob))).toEqual({ ok: false, reason: 'invalid' })
    }
    storage.map.set(
      key,
      JSON.stringify({ ...JSON.parse(serializeSession(tokens)), version: 2 ** 53 }),
    )
    for (let round = 0; round < 3; round++) {
      const tab = tabs[round % 2]!
      const next = await tab.client.refresh({ force: true })
      expect(next.version).toBe(round + 2)
      await clock.advance(propagationWaitMs) // the lock is kept a moment after each write
    }
    for (const tab of tabs) {
      expect(tab.client.getSnapshot()).toMatchObject({ status: 'authenticated' })
      expect(tab.signOuts()).toEqual([])
    }
  })
})
