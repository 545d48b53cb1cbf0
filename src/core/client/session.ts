/**
 * The session part of a client: the snapshot store, and the one place a session begins or ends.
 * Every change is a named action (state.ts); storage, the other tabs and the events follow here.
 * It calls nothing in the refresh wing: the refresher watches it (`watch`, `subscribe`) instead.
 */
import type { AuthError } from '../errors'
import type { Emitter, SignOutReason } from '../events'
import type { Clock } from '../platform/clock'
import type { RefreshSession, SessionChange } from '../refresh/refresher'
import type { SessionSync } from '../tabs/sessionSync'
import { type AuthAction, type AuthSnapshot, loadingSnapshot, reduce } from '../state'
import { createStore } from '../store'
import { type TokenSet, userOf } from '../tokens'

export interface SessionContext {
  clock: Clock
  sync: SessionSync
  emitter: Emitter
  /** When a session ends for good, if known (`refreshTokenValiditySeconds`). */
  sessionExpiresAt(tokens: TokenSet): number | undefined
}

/** Where a session or its end comes from: this tab, or another one (already stored there). */
export type Origin = 'here' | 'otherTab'

export interface Session extends RefreshSession {
  subscribe(listener: () => void): () => void
  adopt(tokens: TokenSet, options: { refreshing: boolean }): void
}

export function createSession(ctx: SessionContext): Session {
  const { sync, emitter } = ctx
  const store = createStore<AuthSnapshot>(loadingSnapshot)
  const reduceContext = {
    now: () => ctx.clock.now(),
    sessionExpiresAt: (tokens: TokenSet) => ctx.sessionExpiresAt(tokens) ?? null,
  }
  const watchers = new Set<(change: SessionChange) => void>()
  let epoch = 0

  const snapshot = () => store.getSnapshot()
  const dispatch = (action: AuthAction) => store.setState(reduce(snapshot(), action, reduceContext))
  const tell = (change: SessionChange) => {
    for (const watcher of [...watchers]) watcher(change)
  }

  /**
   * A new session, signed in here (`setSession`) or in another tab: a refresh begun for the
   * previous one is dropped (a new epoch), and storage, tabs and events follow.
   */
  function take(tokens: TokenSet, { from }: { from: Origin }) {
    const previous = snapshot().tokens
    epoch++
    tell('taken')
    if (previous !== null && userOf(previous) !== userOf(tokens)) {
      emitter.emit('sessionReplaced', { previousUserId: userOf(previous), userId: userOf(tokens) })
    }
    if (from === 'here' || !sync.shared()) sync.write(tokens, { replace: true })
    if (from === 'here') sync.broadcastTokens(tokens, 'signedIn')
    dispatch({ type: 'signedIn', tokens })
    const { sessionId } = tokens
    emitter.emit('signedIn', { sessionId, userId: userOf(tokens), fromOtherTab: from !== 'here' })
  }

  /** Another tab's tokens: a newer version of our session, or (another session) a sign-in. */
  function adopt(tokens: TokenSet, { refreshing }: { refreshing: boolean }) {
    if (snapshot().tokens?.sessionId !== tokens.sessionId) return take(tokens, { from: 'otherTab' })
    if (!sync.shared()) sync.write(tokens)
    tell('adopted')
    dispatch({ type: 'adopted', tokens, refreshing })
    const { sessionId, version, expiresAt } = tokens
    emitter.emit('tokensAdopted', { sessionId, version, expiresAt, from: 'channel' })
  }

  /** Ends the session; one that ended in another tab is already cleared and announced there. */
  function end(reason: SignOutReason, { error, from }: { error?: AuthError; from: Origin }) {
    const tokens = snapshot().tokens
    epoch++
    tell('ended')
    // Without a session of our own there is nothing to end elsewhere.
    if (from === 'here' && tokens !== null) {
      sync.clear(tokens, reason)
      sync.broadcastSignOut(tokens.sessionId, reason)
    }
    dispatch({ type: 'signedOut', reason, error })
    emitter.emit('signedOut', { reason, fromOtherTab: from !== 'here', error })
  }

  return {
    snapshot,
    subscribe: store.subscribe,
    dispatch,
    epoch: () => epoch,
    watch(watcher) {
      watchers.add(watcher)
      return () => void watchers.delete(watcher)
    },
    take,
    adopt,
    end,
  }
}
