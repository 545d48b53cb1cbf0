import { broadcastChannel, lazyChannel } from './channel'
import { systemClock } from './clock'
import { AuthError, isAuthError, toAuthError } from './errors'
import { createEmitter, type SignOutReason } from './events'
import { browserLifecycle } from './lifecycle'
import { webLock } from './lock'
import type {
  AuthClient,
  AuthClientOptions,
  GetAccessTokenOptions,
  RefreshOptions,
} from './options'
import { createRefresher } from './refresher'
import { needsRefresh } from './schedule'
import { createSessionSync } from './sessionSync'
import { type AuthSnapshot, loadingSnapshot, nextSnapshot } from './state'
import { localStorageAdapter, resolveStorage } from './storage'
import { createStore } from './store'
import { tabMessageHandler } from './tabMessages'
import { createTokenSet, type TokenSet, userOf } from './tokens'
import { bounded } from './bounded'
import { defaultMinRefreshIntervalMs } from './schedule'

export type { AuthClient, AuthClientOptions, GetAccessTokenOptions } from './options'
export { toAuthError } from './errors'

const expSecondMs = 1_000

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  // Session and tab ids: from an injected `random` (deterministic tests), else the platform's UUIDs.
  let ids = 0
  const randomId = options.random
    ? () =>
        `${(ids++).toString(36)}.${random().toString(36).slice(2)}${random().toString(36).slice(2)}`
    : () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random()}`
  const key = options.storageKey ?? `react-cognito-refresh.${options.clientId}`
  const lifecycle = options.lifecycle ?? browserLifecycle
  const peerTimeoutMs = options.peerTimeoutMs ?? 500
  const refreshTimeoutMs = options.refreshTimeoutMs ?? 20_000
  const validityMs =
    options.refreshTokenValiditySeconds === undefined
      ? undefined
      : options.refreshTokenValiditySeconds * 1000
  // The refresh token's validity counts from the sign-in; rotation never extends it.
  const sessionExpiresAt = (tokens: TokenSet) =>
    validityMs === undefined ? undefined : tokens.signedInAt + validityMs
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
        : { ...patch, sessionExpiresAt: (patch.tokens && sessionExpiresAt(patch.tokens)) ?? null }
    store.setState(nextSnapshot(snapshot(), derived, clock.now()))
  }

  const refresher = createRefresher({
    clock,
    random,
    jitter: random(),
    transport: options.transport,
    lock: options.lock ?? webLock(),
    lockName: `${key}.refresh`,
    lockTimeoutMs: options.lockTimeoutMs ?? 10_000,
    peerTimeoutMs,
    refreshTimeoutMs,
    minRefreshIntervalMs: options.minRefreshIntervalMs ?? defaultMinRefreshIntervalMs,
    sessionExpiresAt,
    sessionExpiryWarningMs: (options.sessionExpiryWarningSeconds ?? 300) * 1000,
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
    const tokens = sync.read(true)
    if (tokens !== undefined) return set({ status: 'authenticated', tokens })
    const shared = sync.shared()
    // A corrupt shared slot, or tab-private storage while another tab may hold a session: ask the
    // other tabs before deciding (status stays 'loading'); an answer also repairs the slot.
    if (shared ? sync.slot() === 'unusable' : sync.sessionElsewhere()) {
      bootstrap = sync.askPeers(peerTimeoutMs).then((peer) => {
        bootstrap = undefined
        if (snapshot().status !== 'loading') return
        if (peer !== undefined && (shared ? !sync.signedOut(peer) : sync.sessionElsewhere(peer))) {
          if (shared) sync.write(peer)
          return adopt(peer)
        }
        if (!shared) sync.clear(undefined) // a stale marker: the last tab with the session is gone
        noSessionHere()
      })
      return
    }
    noSessionHere()
    // An empty slot with no tombstone: storage may have been cleared under open tabs. Decide now
    // (a signed-out visitor must not wait) and ask: a tab that answers is followed (tabMessages).
    if (shared && sync.slot() === 'empty') sync.requestSession()
  }

  /** The start found no session here, nor in another tab that answered. */
  function noSessionHere() {
    set({ status: 'unauthenticated', signOutReason: 'noSession' })
    emitter.emit('signedOut', { reason: 'noSession', fromOtherTab: false, error: undefined })
  }

  /** Takes another tab's tokens: a newer version of our session, or a sign-in. */
  function adopt(tokens: TokenSet) {
    const current = snapshot().tokens
    const signIn = current?.sessionId !== tokens.sessionId
    if (!sync.shared()) sync.write(tokens, signIn)
    if (signIn) epoch++
    if (current !== null && signIn && userOf(current) !== userOf(tokens)) {
      emitter.emit('sessionReplaced', { previousUserId: userOf(current), userId: userOf(tokens) })
    }
    refresher.reset()
    const idle = refresher.busy() ? {} : { refresh: 'idle' as const }
    set({ status: 'authenticated', tokens, error: null, signOutReason: null, ...idle })
    const { sessionId, version, expiresAt } = tokens
    if (signIn) emitter.emit('signedIn', { sessionId, userId: userOf(tokens), fromOtherTab: true })
    else emitter.emit('tokensAdopted', { sessionId, version, expiresAt, from: 'channel' })
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

  // `exp` counts whole seconds (it is floored at issue), so the server may see the token lapse up
  // to a second before `expiresAt`: a token kept through trouble must have more than that left.
  const stillValid = (tokens: TokenSet) => tokens.expiresAt - expSecondMs > clock.now()

  async function getAccessToken({
    minValiditySeconds = options.minValiditySeconds ?? 30,
  }: GetAccessTokenOptions = {}): Promise<string> {
    await ready()
    // A refresh we join may have started for an older version and end with tokens that are no
    // fresher than ours (another tab's, adopted): look again, a bounded number of times.
    for (let round = 0; round < 3; round++) {
      const tokens = snapshot().tokens
      if (tokens === null) throw noSession()
      if (!needsRefresh(tokens, clock.now(), minValiditySeconds)) {
        // Refresh on read: a timer that slept past its due time is caught up, in the background.
        if (refresher.isDue(tokens) && !refresher.backingOff()) {
          void refresher.run(tokens, 'due').catch(() => undefined)
        }
        return tokens.accessToken
      }
      try {
        // During a backoff wait, answer at once instead of adding to an outage's load.
        if (refresher.backingOff()) throw snapshot().error ?? noSession()
        await refresher.run(tokens, 'needed')
      } catch (error) {
        // Keep a still-valid access token through network trouble (never on a terminal answer).
        const current = snapshot().tokens
        const keep = isAuthError(error) && error.kind !== 'terminal' && error.kind !== 'reuse'
        if (keep && current && stillValid(current)) return current.accessToken
        throw error
      }
    }
    const current = snapshot().tokens
    if (current !== null && stillValid(current)) return current.accessToken
    throw snapshot().error ?? noSession()
  }

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
      let tokens: TokenSet
      const previous = snapshot().tokens
      // A sign-in comes after every sign-in this tab knows of (its own session, the stored one or,
      // with private storage, the version marker's), even within one millisecond: every tab then
      // orders them the same way (a logical clock, not only the wall clock). A tab still asking its
      // peers for the session (private storage) knows the latest one only from the marker.
      const known = Math.max(previous?.signedInAt ?? 0, sync.latestSignIn())
      const signedInAt = Math.max(clock.now(), known + 1)
      try {
        tokens = createTokenSet(result, {
          now: clock.now(),
          sessionId: randomId(),
          allowExpired: true,
          signedInAt,
        })
      } catch (error) {
        const reason = toAuthError(error).message
        throw new AuthError('InvalidSession', `setSession: ${reason}`, { kind: 'fatal' })
      }
      epoch++
      refresher.reset()
      if (previous !== null && userOf(previous) !== userOf(tokens)) {
        emitter.emit('sessionReplaced', {
          previousUserId: userOf(previous),
          userId: userOf(tokens),
        })
      }
      sync.write(tokens, true)
      sync.broadcastTokens(tokens, 'signedIn')
      set({ status: 'authenticated', tokens, refresh: 'idle', error: null, signOutReason: null })
      const userId = userOf(tokens)
      emitter.emit('signedIn', { sessionId: tokens.sessionId, userId, fromOtherTab: false })
      refresher.schedule()
      return tokens
    },
    getAccessToken,
    refresh,
    async signOut() {
      start()
      const tokens = snapshot().tokens
      endSession('signOut', undefined, false)
      const revoke = options.transport.revoke
      if (tokens === null || options.revokeOnSignOut === false || revoke === undefined) return
      try {
        const request = { refreshToken: tokens.refreshToken }
        await bounded(clock, refreshTimeoutMs, (signal) =>
          revoke.call(options.transport, request, { signal }),
        ).promise
      } catch (error) {
        emitter.emit('revokeFailed', { error: toAuthError(error) })
      }
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
