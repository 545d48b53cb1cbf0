import { accessTokenReader } from './accessToken'
import { broadcastChannel, lazyChannel } from '../platform/channel'
import { resolveClientOptions } from './clientDefaults'
import { AuthError } from '../errors'
import { createEmitter, type SignOutReason } from '../events'
import { webLock } from '../platform/lock'
import type { AuthClient, AuthClientOptions, RefreshOptions } from './options'
import { revokeFor } from '../refresh/refreshExchange'
import { createRefresher } from '../refresh/refresher'
import { createSessionSync } from '../tabs/sessionSync'
import { signInTokens } from './signInTokens'
import { startSession } from './startup'
import { type AuthSnapshot, loadingSnapshot, nextSnapshot } from '../state'
import { localStorageAdapter, resolveStorage } from '../platform/storage'
import { createStore } from '../store'
import { tabMessageHandler } from '../tabs/tabMessages'
import { type TokenSet, userOf } from '../tokens'

export type { AuthClient, AuthClientOptions, GetAccessTokenOptions } from './options'

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const config = resolveClientOptions(options)
  const { clock, random, randomId, key, lifecycle, peerTimeoutMs, refreshTimeoutMs } = config
  const tabId = randomId()
  const emitter = createEmitter()
  const store = createStore<AuthSnapshot>(loadingSnapshot)
  const channel = lazyChannel(() => options.channel ?? broadcastChannel(key))
  const storage = resolveStorage(options.storage)
  const sync = createSessionSync({
    storage,
    marker:
      storage.shared || options.versionMarker === false
        ? undefined
        : (options.versionMarker ?? localStorageAdapter()),
    key,
    channel,
    clock,
    tabId,
    emitter,
    randomId,
  })

  let started = false
  let disposed = false
  let mounts = 0
  let epoch = 0
  let bootstrap: Promise<void> | undefined
  let unlisten: (() => void) | undefined

  const snapshot = () => store.getSnapshot()
  const set = (patch: Parameters<typeof nextSnapshot>[1]) => {
    const derived =
      patch.tokens === undefined
        ? patch
        : {
            ...patch,
            sessionExpiresAt: (patch.tokens && config.sessionExpiresAt(patch.tokens)) ?? null,
          }
    store.setState(nextSnapshot(snapshot(), derived, clock.now()))
  }

  const refresher = createRefresher({
    // clock, random and the resolved timings, by the names both use.
    ...config,
    jitter: random(),
    transport: options.transport,
    lock: options.lock ?? webLock(),
    lockName: `${key}.refresh`,
    backoff: options.backoff,
    clientMetadata: options.clientMetadata,
    sync,
    emitter,
    snapshot,
    set,
    epoch: () => epoch,
    mounted: () => mounts > 0,
    disposed: () => disposed,
    endSession: (reason, error) => endSession(reason, error, false),
    signedOutElsewhere: (reason) => endSession(reason ?? 'signOut', undefined, true),
    adopt: (tokens) => adopt(tokens),
  })

  const onMessage = tabMessageHandler({
    channel,
    tabId,
    sync,
    emitter,
    snapshot,
    signedOutElsewhere: (reason) => endSession(reason, undefined, true),
    adopt,
  })

  function start() {
    if (started) return
    started = true
    bootstrap = startSession({
      sync,
      peerTimeoutMs,
      snapshot,
      found: (tokens) => set({ status: 'authenticated', tokens }),
      adopt,
      none: noSessionHere,
    })?.finally(() => (bootstrap = undefined))
  }

  /** The start found no session here, nor in another tab that answered. */
  function noSessionHere() {
    set({ status: 'unauthenticated', signOutReason: 'noSession' })
    emitter.emit('signedOut', { reason: 'noSession', fromOtherTab: false, error: undefined })
  }

  /** Takes another tab's tokens: a newer version of our session, or a sign-in. */
  function adopt(tokens: TokenSet) {
    if (snapshot().tokens?.sessionId !== tokens.sessionId) return takeSession(tokens, true)
    if (!sync.shared()) sync.write(tokens)
    refresher.reset()
    const idle = refresher.busy() ? {} : { refresh: 'idle' as const }
    set({ status: 'authenticated', tokens, error: null, ...idle })
    const { sessionId, version, expiresAt } = tokens
    emitter.emit('tokensAdopted', { sessionId, version, expiresAt, from: 'channel' })
    refresher.schedule()
  }

  /**
   * The one path a session takes in, whether signed in here (`setSession`) or in another tab: a
   * refresh begun for the previous one is dropped (a new epoch), and storage, tabs, events and
   * the schedule follow.
   */
  function takeSession(tokens: TokenSet, fromOtherTab: boolean) {
    const previous = snapshot().tokens
    epoch++
    refresher.reset()
    if (previous !== null && userOf(previous) !== userOf(tokens)) {
      emitter.emit('sessionReplaced', { previousUserId: userOf(previous), userId: userOf(tokens) })
    }
    if (!fromOtherTab || !sync.shared()) sync.write(tokens, true)
    if (!fromOtherTab) sync.broadcastTokens(tokens, 'signedIn')
    set({ status: 'authenticated', tokens, refresh: 'idle', error: null, signOutReason: null })
    const { sessionId } = tokens
    emitter.emit('signedIn', { sessionId, userId: userOf(tokens), fromOtherTab })
    refresher.schedule()
  }

  function endSession(reason: SignOutReason, error: AuthError | undefined, fromOtherTab: boolean) {
    const tokens = snapshot().tokens
    epoch++
    refresher.abort()
    refresher.reset()
    refresher.clearTimer()
    // Without a session of our own there is nothing to end elsewhere.
    if (!fromOtherTab && tokens !== null) {
      sync.clear(tokens, reason)
      sync.broadcastSignOut(tokens.sessionId, reason)
    }
    const ended = { tokens: null, refresh: 'idle', error: error ?? null } as const
    set({ status: 'unauthenticated', ...ended, signOutReason: reason })
    emitter.emit('signedOut', { reason, fromOtherTab, error })
  }

  function noSession() {
    const reason = snapshot().signOutReason
    return reason !== null && reason !== 'noSession'
      ? new AuthError('SignedOut', 'The session has ended.')
      : new AuthError('NoSession', 'Nobody is signed in.')
  }

  function ready(): Promise<void> {
    if (disposed) return Promise.reject(new AuthError('Disposed', 'The auth client was disposed.'))
    start()
    return bootstrap ?? Promise.resolve()
  }

  async function refresh({ force = false, rejectedToken }: RefreshOptions = {}) {
    await ready()
    const tokens = snapshot().tokens
    if (tokens === null) throw noSession()
    if (rejectedToken === undefined) return refresher.run(tokens, force ? 'asked' : 'due')
    // An API refused this token. A newer one exists already, or this generation came from such a
    // refresh (in any tab): a fresh token is refused too, so refreshing again would only storm.
    const note = sync.note('rejected')
    const fromRejection = note?.sessionId === tokens.sessionId && note.version === tokens.version
    if (tokens.accessToken !== rejectedToken || fromRejection) return tokens
    return refresher.run(tokens, 'rejected')
  }

  const getAccessToken = accessTokenReader({ ...config, refresher, snapshot, ready, noSession })

  return {
    getSnapshot: snapshot,
    subscribe: store.subscribe,
    on: emitter.on,
    mount() {
      if (disposed) return () => undefined
      start()
      if (mounts++ === 0) {
        const stopLifecycle = lifecycle((reason) => {
          if (reason === 'online') refresher.retryNow()
          refresher.tick()
        })
        const stopChannel = sync.listen(onMessage)
        unlisten = () => {
          stopLifecycle()
          stopChannel()
        }
        refresher.tick()
      }
      let mounted = true
      return () => {
        if (!mounted) return
        mounted = false
        if (--mounts === 0) {
          unlisten?.()
          unlisten = undefined
          refresher.stop()
        }
      }
    },
    setSession(result) {
      if (disposed) throw new AuthError('Disposed', 'The auth client was disposed.')
      start()
      const previous = snapshot().tokens?.signedInAt ?? 0
      const latestSignIn = Math.max(previous, sync.latestSignIn())
      const tokens = signInTokens(result, { clock, randomId, latestSignIn })
      takeSession(tokens, false)
      return tokens
    },
    getAccessToken,
    refresh,
    async signOut() {
      start()
      const tokens = snapshot().tokens
      endSession('signOut', undefined, false)
      if (tokens === null || options.revokeOnSignOut === false) return
      const error = await revokeFor(options.transport, tokens, clock, refreshTimeoutMs)
      if (error !== undefined) emitter.emit('revokeFailed', { error })
    },
    dispose() {
      if (disposed) return
      disposed = true
      mounts = 0
      unlisten?.()
      refresher.abort()
      refresher.stop()
      channel.close()
      emitter.clear()
    },
  }
}
