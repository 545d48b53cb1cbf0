import { describe, expect, it } from 'vitest'
import { createEmitter, type SignOutReason } from '../../../src/core/events'
import type { Channel } from '../../../src/core/platform/channel'
import { type AuthSnapshot, loadingSnapshot, reduce } from '../../../src/core/state'
import { serializeSession } from '../../../src/core/storedSession'
import { createMessage, parseMessage, type TabMessage } from '../../../src/core/tabs/messages'
import { createSessionSync } from '../../../src/core/tabs/sessionSync'
import { tabMessageHandler } from '../../../src/core/tabs/tabMessages'
import { createTokenSet, type TokenSet } from '../../../src/core/tokens'
import { authResult } from '../../helpers/tokens'
import { ManualClock } from '../../helpers/manualClock'
import { sharedStorage } from '../../helpers/testClient'

/** One tab's handler, with what it asks of the client recorded instead of done. */
function tab() {
  const clock = new ManualClock()
  const posted: TabMessage[] = []
  const channel: Channel = {
    post: (message) => void posted.push(message as TabMessage),
    subscribe: () => () => undefined,
    close: () => undefined,
  }
  const emitter = createEmitter()
  const ignored: string[] = []
  emitter.on('messageIgnored', ({ reason }) => void ignored.push(reason))
  const storage = sharedStorage()
  const sync = createSessionSync({
    storage,
    marker: undefined,
    key: 'k',
    channel,
    clock,
    tabId: 'me',
    emitter,
    randomId: () => 'rid',
  })
  let snapshot: AuthSnapshot = loadingSnapshot
  const ctx = { now: clock.now, sessionExpiresAt: () => null }
  const hold = (tokens: TokenSet) => {
    snapshot = reduce(snapshot, { type: 'signedIn', tokens }, ctx)
  }
  const adopted: TokenSet[] = []
  const endedElsewhere: SignOutReason[] = []
  const handle = tabMessageHandler({
    channel,
    tabId: 'me',
    sync,
    emitter,
    snapshot: () => snapshot,
    signedOutElsewhere: (reason) => void endedElsewhere.push(reason),
    adopt: (tokens) => void adopted.push(tokens),
  })
  return { clock, handle, hold, adopted, endedElsewhere, posted, ignored, storage }
}

const now = Date.UTC(2026, 10, 21, 12)
const v1 = createTokenSet(authResult({ now, sub: 'u1' }), { now, sessionId: 's1' })
const v2 = createTokenSet(authResult({ now: now + 1, sub: 'u1' }), {
  now: now + 1,
  sessionId: 's1',
  previous: v1,
})
const tokensMessage = (tokens: TokenSet, cause: 'refreshed' | 'signedIn' = 'refreshed') =>
  createMessage('other', { type: 'tokens', cause, session: serializeSession(tokens) })

describe('tab messages', () => {
  it('adopts a newer version of our session, and ignores the same or an older one', () => {
    const t = tab()
    t.hold(v1)
    t.handle(tokensMessage(v1))
    expect(t.adopted).toEqual([])
    t.handle(tokensMessage(v2))
    expect(t.adopted.map((tokens) => tokens.version)).toEqual([2])
    t.hold(v2)
    t.handle(tokensMessage(v1))
    expect(t.adopted).toHaveLength(1)
  })

  it('a sign-out ends only the session it names', () => {
    const t = tab()
    t.hold(v1)
    t.handle(createMessage('other', { type: 'signedOut', sessionId: 'another', reason: 'signOut' }))
    t.handle(createMessage('other', { type: 'signedOut', sessionId: null, reason: 'signOut' }))
    expect(t.endedElsewhere).toEqual([])
    t.handle(createMessage('other', { type: 'signedOut', sessionId: 's1', reason: 'reuse' }))
    expect(t.endedElsewhere).toEqual(['reuse'])
  })

  it('answers a session request with ours, to the tab that asked, and stays quiet without one', () => {
    const t = tab()
    const request = createMessage('peer', { type: 'sessionRequest', requestId: 'r1' })
    t.handle(request as Extract<TabMessage, { type: 'sessionRequest' }>)
    expect(t.posted).toEqual([])
    t.hold(v1)
    t.handle(request)
    expect(t.posted).toHaveLength(1)
    expect(t.posted[0]).toMatchObject({ type: 'sessionResponse', requestId: 'r1', to: 'peer' })
  })

  it('tokens that do not parse, or carry our session id for another user, are ignored with a reason', () => {
    const t = tab()
    t.hold(v1)
    t.handle(createMessage('other', { type: 'tokens', cause: 'refreshed', session: '{"v":1' }))
    const otherUser = createTokenSet(authResult({ now: now + 2, sub: 'u2' }), {
      now: now + 2,
      sessionId: 's1',
      previous: v2,
    })
    t.handle(tokensMessage(otherUser))
    expect(t.adopted).toEqual([])
    expect(t.ignored).toEqual(['invalid', 'invalid'])
  })

  it('messages of another library, another protocol version or a bad shape never reach the handler', () => {
    for (const data of [
      null,
      'hello',
      { type: 'tokens' },
      { protocol: 'react-cognito-refresh', v: 2, from: 'x', type: 'tokens' },
      { protocol: 'react-cognito-refresh', v: 1, from: 'x', type: 'signedOut', reason: 'nope' },
    ]) {
      expect(parseMessage(data).ok, JSON.stringify(data)).toBe(false)
    }
    expect(parseMessage(tokensMessage(v1)).ok).toBe(true)
  })
})
