/**
 * What a tab does with another tab's messages. Kept apart from the client so the rules, which the
 * cross-tab property tests exercise hardest, read in one place.
 */
import type { Channel } from '../platform/channel'
import type { Emitter, SignOutReason } from '../events'
import { createMessage, type TabMessage } from './messages'
import type { SessionSync } from './sessionSync'
import type { AuthSnapshot } from '../state'
import { parseSession, serializeSession } from '../storedSession'
import { isNewer, sameSession, type TokenSet } from '../tokens'

export interface TabMessageContext {
  channel: Channel
  tabId: string
  sync: SessionSync
  emitter: Emitter
  snapshot(): AuthSnapshot
  /** Another tab ended this session: end it here too, quietly. */
  signedOutElsewhere(reason: SignOutReason): void
  adopt(tokens: TokenSet): void
}

/** The client's handler for valid messages from other tabs. */
export function tabMessageHandler(ctx: TabMessageContext) {
  return (message: TabMessage): void => {
    const current = ctx.snapshot().tokens
    if (message.type === 'sessionRequest') {
      answerSessionRequest(ctx.channel, ctx.tabId, message, current)
    } else if (message.type === 'signedOut') {
      // A sign-out ends only the session it names: one without a session id ends nobody's.
      if (current !== null && message.sessionId === current.sessionId) {
        ctx.signedOutElsewhere(message.reason)
      }
    } else if (message.type === 'tokens') {
      const parsed = parseSession(message.session)
      if (!parsed.ok || !parsed.hasRefreshToken) {
        ctx.emitter.emit('messageIgnored', { reason: 'invalid' })
        return
      }
      if (current?.sessionId === parsed.tokens.sessionId && !sameSession(parsed.tokens, current)) {
        ctx.emitter.emit('messageIgnored', { reason: 'invalid' }) // our session id, another user
        return
      }
      const loading = ctx.snapshot().status === 'loading'
      const next = tokensToAdopt(parsed.tokens, message.cause, current, loading, ctx.sync)
      if (next !== undefined) ctx.adopt(next)
    } else if (message.type === 'sessionResponse') {
      // An answer to the question a start on an empty slot asked (storage cleared under open tabs):
      // followed while this tab still has no session and the slot stays empty.
      const parsed = parseSession(message.session)
      const { tokens, signOutReason } = ctx.snapshot()
      if (!parsed.ok || !parsed.hasRefreshToken || tokens !== null) return
      if (signOutReason !== 'noSession' || ctx.sync.slot() !== 'empty') return
      ctx.sync.write(parsed.tokens)
      ctx.adopt(parsed.tokens)
    }
  }
}

/** The tokens to adopt, or undefined to ignore the message. */
export function tokensToAdopt(
  incoming: TokenSet,
  cause: 'refreshed' | 'signedIn',
  current: TokenSet | null,
  loading: boolean,
  sync: SessionSync,
): TokenSet | undefined {
  if (current?.sessionId === incoming.sessionId) {
    return isNewer(incoming, current) ? incoming : undefined
  }
  if (cause === 'signedIn') {
    // Two sign-ins can cross. With shared storage the last write is the truth. Where storage
    // shows nothing yet (a renderer's copy lags the message) or the storage is private, the later
    // sign-in wins, in the same order in every tab; a tombstone that ends it wins over both.
    const stored = sync.shared() ? sync.read() : undefined
    if (stored !== undefined) {
      return stored.sessionId === current?.sessionId ? undefined : stored
    }
    if (sync.shared() && sync.signedOut(incoming)) return undefined
    return current === null || isNewer(incoming, current) ? incoming : undefined
  }
  if (current !== null || loading) return undefined
  // A refresh of a session we do not hold is stale news, unless storage (or, with private
  // storage, the version marker) says it is live: we missed its sign-in (a slow start).
  if (!sync.shared()) return sync.sessionElsewhere(incoming) ? incoming : undefined
  const stored = sync.read()
  return stored?.sessionId === incoming.sessionId ? stored : undefined
}

/** Answers a peer's session request with our session, if we have one. */
export function answerSessionRequest(
  channel: Channel,
  tabId: string,
  request: Extract<TabMessage, { type: 'sessionRequest' }>,
  tokens: TokenSet | null,
): void {
  if (tokens === null) return
  channel.post(
    createMessage(tabId, {
      type: 'sessionResponse',
      requestId: request.requestId,
      to: request.from,
      session: serializeSession(tokens),
    }),
  )
}
