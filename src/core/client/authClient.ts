import { accessTokenReader } from './accessToken'
import { broadcastChannel, lazyChannel } from '../platform/channel'
import { resolveClientOptions } from './clientDefaults'
import { AuthError } from '../errors'
import { createEmitter } from '../events'
import { webLock } from '../platform/lock'
import type { AuthClient, AuthClientOptions, RefreshOptions } from './options'
import { revokeFor } from '../refresh/refreshExchange'
import { createRefresher } from '../refresh/refresher'
import { createSessionSync } from '../tabs/sessionSync'
import { signInTokens } from './signInTokens'
import { startSession } from './startup'
import { localStorageAdapter, resolveStorage } from '../platform/storage'
import { createSession } from './session'
import { tabMessageHandler } from '../tabs/tabMessages'
import type { TokenSet } from '../tokens'

export type { AuthClient, AuthClientOptions, GetAccessTokenOptions } from './options'

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const config = resolveClientOptions(options)
  const { clock, random, randomId, key, lifecycle, peerTimeoutMs, refreshTimeoutMs } = config
  const tabId = randomId()
  const emitter = createEmitter()
  const channel = lazyChannel(() => config.channel ?? broadcastChannel(key))
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
  const session = createSession({ clock, sync, emitter, sessionExpiresAt: config.sessionExpiresAt })
  const { snapshot } = session

  let started = false
  let disposed = false
  let mounts = 0
  let bootstrap: Promise<void> | undefined
  let unlisten: (() => void) | undefined

  const refresher = createRefresher({
    // clock, random and the resolved timings, by the names both use.
    ...config,
    session,
    jitter: random(),
    transport: options.transport,
    lock: config.lock ?? webLock({ clock }),
    lockName: `${key}.refresh`,
    backoff: options.backoff,
    clientMetadata: options.clientMetadata,
    sync,
    emitter,
    mounted: () => mounts > 0,
    disposed: () => disposed,
  })
  /** Another tab's tokens: a refresh of ours that is under way goes on (and then adopts them). */
  const adopt = (tokens: TokenSet) => session.adopt(tokens, { refreshing: refresher.busy() })

  const onMessage = tabMessageHandler({
    channel,
    tabId,
    sync,
    emitter,
    snapshot,
    signedOutElsewhere: (reason) => session.end(reason, { from: 'otherTab' }),
    adopt,
  })

  function start() {
    if (started) return
    started = true
    bootstrap = startSession({
      sync,
      peerTimeoutMs,
      snapshot,
      found: (tokens) => session.dispatch({ type: 'restored', tokens }),
      adopt,
      none: noSessionHere,
    })?.finally(() => (bootstrap = undefined))
  }

  /** The start found no session here, nor in another tab that answered. */
  function noSessionHere() {
    session.dispatch({ type: 'noSession' })
    emitter.emit('signedOut', { reason: 'noSession', fromOtherTab: false, error: undefined })
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
    subscribe: session.subscribe,
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
      session.take(tokens, { from: 'here' })
      return tokens
    },
    getAccessToken,
    refresh,
    async signOut() {
      start()
      const tokens = snapshot().tokens
      session.end('signOut', { from: 'here' })
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
