import { backoffDelay, type BackoffOptions, defaultBackoff } from './backoff'
import { broadcastChannel, type Channel } from './channel'
import { type Clock, systemClock, type TimerHandle } from './clock'
import { AuthError, isAuthError } from './errors'
import {
  type AuthEventListener,
  type AuthEventType,
  createEmitter,
  type SignOutReason,
} from './events'
import { browserLifecycle, type Lifecycle, type WakeReason } from './lifecycle'
import { type Lock, webLock } from './lock'
import type { TabMessage } from './messages'
import { answerSessionRequest, createSessionSync } from './sessionSync'
import { needsRefresh, refreshDueAt, watchdogIntervalMs } from './schedule'
import { type AuthSnapshot, loadingSnapshot, nextSnapshot } from './state'
import {
  localStorageAdapter,
  memoryStorage,
  parseSession,
  sessionStorageAdapter,
  type StorageAdapter,
} from './storage'
import { warnOnce } from './warn'
import { createStore } from './store'
import { type AuthenticationResult, createTokenSet, isNewer, type TokenSet, userOf } from './tokens'
import type { Transport } from './transports/types'

export interface AuthClientOptions {
  /** The app client id. Namespaces storage, the lock and the channel. */
  clientId: string
  /** How tokens are refreshed, e.g. `cognitoTransport({ region, clientId })`. */
  transport: Transport
  /**
   * Where the session lives. `'local'`: localStorage, shared by the tabs. `'session'` or
   * `'memory'`: private to the tab, never persisted across a browser restart (`'memory'` not even
   * across a reload); tabs still share the session over the channel, and a new tab asks the open
   * ones for it. Or any `StorageAdapter`.
   * @default 'local'
   */
  storage?: 'local' | 'session' | 'memory' | StorageAdapter
  /**
   * With tab-private storage: where `{ sessionId, version }` (never a token) is recorded so tabs
   * can tell that a newer session exists. `false` turns it off.
   * @default localStorageAdapter()
   */
  versionMarker?: StorageAdapter | false
  /** @default `react-cognito-refresh.${clientId}` */
  storageKey?: string
  /** @default webLock() (Web Locks; falls back to a re-read where missing) */
  lock?: Lock
  /** @default broadcastChannel(storageKey), opened on first mount */
  channel?: Channel
  /** @default browserLifecycle (visibilitychange, focus, online, pageshow) */
  lifecycle?: Lifecycle
  /** @default systemClock */
  clock?: Clock
  /** Random numbers in [0, 1) for jitter and ids. @default Math.random */
  random?: () => number
  /** Default for `getAccessToken({ minValiditySeconds })`. @default 30 */
  minValiditySeconds?: number
  /** @default { baseMs: 1000, maxMs: 60000 } */
  backoff?: BackoffOptions
  /** How long to wait for the cross-tab lock before going ahead after a re-read. @default 10000 */
  lockTimeoutMs?: number
  /** How long to wait for other tabs' answers before ending a session on a rejected token. @default 500 */
  peerTimeoutMs?: number
  /** Passed to the transport with every refresh (Cognito's pre token generation trigger). */
  clientMetadata?: Record<string, string>
  /** Revoke the refresh token on `signOut()` where the transport can. @default true */
  revokeOnSignOut?: boolean
}

export interface GetAccessTokenOptions {
  /** Refresh first if the token lapses within this many seconds (capped at half its lifetime). */
  minValiditySeconds?: number
}

export interface AuthClient {
  getSnapshot(): AuthSnapshot
  subscribe(listener: () => void): () => void
  on<K extends AuthEventType>(type: K, listener: AuthEventListener<K>): () => void
  /** Starts timers, lifecycle listeners and the channel; returns the matching unmount. Ref-counted. */
  mount(): () => void
  /** Stores the tokens of a sign-in and tells the other tabs. */
  setSession(result: AuthenticationResult): TokenSet
  /** A valid access token, refreshed first when it lapses within `minValiditySeconds`. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>
  /** Refreshes if due (or always with `force`); joins a refresh already under way. */
  refresh(options?: { force?: boolean }): Promise<TokenSet>
  signOut(): Promise<void>
  /** Releases every timer, listener and the channel. The client cannot be mounted again. */
  dispose(): void
}

type Outcome = { tokens: TokenSet; via: 'network' | 'storage' | 'channel' }

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  // Ids must differ between tabs even when a test seeds `random` alike: prefer the platform's UUIDs.
  const randomId = () =>
    globalThis.crypto?.randomUUID?.() ??
    `${clock.now().toString(36)}-${random().toString(36).slice(2)}`
  const key = options.storageKey ?? `react-cognito-refresh.${options.clientId}`
  const transport = options.transport
  const lock = options.lock ?? webLock()
  const lifecycle = options.lifecycle ?? browserLifecycle
  const minValidity = options.minValiditySeconds ?? 30
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000
  const peerTimeoutMs = options.peerTimeoutMs ?? 500
  const jitter = random()
  const tabId = randomId()
  const emitter = createEmitter()
  const store = createStore<AuthSnapshot>(loadingSnapshot)
  let channel: Channel | undefined = options.channel
  const getChannel = () => (channel ??= broadcastChannel(key))
  const storage = resolveStorage(options.storage)
  if (options.versionMarker === false && !storage.shared)
    warnOnce(
      'marker',
      'versionMarker: false with tab-private storage: tabs cannot tell when another holds newer tokens.',
    )
  const sync = createSessionSync({
    storage,
    marker: storage.shared ? undefined : options.versionMarker || localStorageAdapter(),
    key,
    channel: {
      post: (m) => getChannel().post(m),
      subscribe: (l) => getChannel().subscribe(l),
      close: () => channel?.close(),
    },
    clock,
    tabId,
    emitter,
    randomId,
  })

  let started = false
  let disposed = false
  let mounts = 0
  let epoch = 0 // bumped by every sign-in and sign-out: a refresh from an older epoch is discarded
  let inflight: Promise<TokenSet> | undefined
  let attempt = 0
  let retryAt: number | undefined
  let timer: TimerHandle | undefined
  let unlisten: (() => void) | undefined

  const snapshot = () => store.getSnapshot()
  const set = (patch: Parameters<typeof nextSnapshot>[1]) =>
    store.setState(nextSnapshot(snapshot(), patch, clock.now()))

  let bootstrap: Promise<void> | undefined

  function start() {
    if (started) return
    started = true
    const tokens = sync.read(true)
    if (tokens !== undefined) set({ status: 'authenticated', tokens })
    else if (!storage.shared && sync.sessionElsewhere()) {
      // Tab-private storage and another tab may hold a session: ask it (status stays 'loading').
      bootstrap = sync.askPeers(peerTimeoutMs).then((peer) => {
        bootstrap = undefined
        if (snapshot().status !== 'loading') return
        if (peer !== undefined) adopt(peer, 'channel')
        else {
          sync.clear(undefined) // a stale marker: the last tab that held the session is gone
          set({ status: 'unauthenticated' })
        }
      })
    } else set({ status: 'unauthenticated' })
  }

  function clearTimer() {
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = undefined
  }

  function schedule() {
    clearTimer()
    const tokens = snapshot().tokens
    if (mounts === 0 || disposed || tokens === null || inflight) return
    const due = retryAt ?? refreshDueAt(tokens, jitter)
    // Never sleep longer than the watchdog: a late timer is caught by comparing wall-clock time.
    timer = clock.setTimeout(tick, Math.max(0, Math.min(due - clock.now(), watchdogIntervalMs)))
  }

  function tick() {
    timer = undefined
    const tokens = snapshot().tokens
    if (tokens === null) return
    const due = retryAt ?? refreshDueAt(tokens, jitter)
    if (clock.now() >= due) void refresh({ force: retryAt !== undefined }).catch(() => undefined)
    else schedule()
  }

  function adopt(tokens: TokenSet, from: 'storage' | 'channel') {
    const current = snapshot().tokens
    if (!storage.shared) sync.write(tokens, current?.sessionId !== tokens.sessionId)
    if (current !== null && current.sessionId !== tokens.sessionId) {
      epoch++
      if (userOf(current) !== userOf(tokens)) {
        emitter.emit('sessionReplaced', { previousUserId: userOf(current), userId: userOf(tokens) })
      }
    }
    attempt = 0
    retryAt = undefined
    set({
      status: 'authenticated',
      tokens,
      error: null,
      signOutReason: null,
      refresh: inflight ? snapshot().refresh : 'idle',
    })
    if (current === null || current.sessionId !== tokens.sessionId) {
      emitter.emit('signedIn', {
        sessionId: tokens.sessionId,
        userId: userOf(tokens),
        fromOtherTab: true,
      })
    } else {
      emitter.emit('tokensAdopted', {
        sessionId: tokens.sessionId,
        version: tokens.version,
        expiresAt: tokens.expiresAt,
        from,
      })
    }
    schedule()
  }

  function endSession(reason: SignOutReason, error: AuthError | undefined, fromOtherTab: boolean) {
    const tokens = snapshot().tokens
    epoch++
    attempt = 0
    retryAt = undefined
    clearTimer()
    if (!fromOtherTab) {
      sync.clear(tokens?.sessionId)
      sync.broadcastSignOut(tokens?.sessionId ?? null, reason)
    }
    set({
      status: 'unauthenticated',
      tokens: null,
      refresh: 'idle',
      error: error ?? null,
      signOutReason: reason,
    })
    emitter.emit('signedOut', { reason, fromOtherTab, error })
  }

  /** Inside the lock: re-read, call, compare-and-set, broadcast. No user code runs here. */
  async function critical(start: TokenSet, myEpoch: number): Promise<Outcome> {
    const shared = sync.read()
    if (
      shared !== undefined &&
      shared.sessionId === start.sessionId &&
      shared.version > start.version
    ) {
      return { tokens: shared, via: 'storage' } // another tab refreshed while we waited
    }
    if (sync.newerElsewhere(start)) {
      // Tab-private storage: another tab refreshed; its message may not have arrived yet.
      const peer = await sync.askPeers(peerTimeoutMs)
      if (peer !== undefined && peer.sessionId === start.sessionId && isNewer(peer, start)) {
        return { tokens: peer, via: 'channel' }
      }
    }
    const username = start.idClaims?.['cognito:username'] ?? start.accessClaims.username
    let result: AuthenticationResult
    try {
      result = await transport.refresh(
        {
          refreshToken: start.refreshToken,
          ...(start.deviceKey !== undefined && { deviceKey: start.deviceKey }),
          ...(typeof username === 'string' && { username }),
          ...(options.clientMetadata !== undefined && { clientMetadata: options.clientMetadata }),
        },
        { signal: new AbortController().signal },
      )
    } catch (error) {
      const authError = toAuthError(error)
      if (authError.kind === 'reuse' || authError.kind === 'terminal') {
        // Rotation: a tab that refreshed first may hold the successor. Look before giving up.
        const newer = sync.read() ?? (await sync.askPeers(peerTimeoutMs))
        if (
          newer !== undefined &&
          newer.refreshToken !== start.refreshToken &&
          isNewer(newer, start)
        ) {
          return { tokens: newer, via: 'storage' }
        }
      }
      throw authError
    }
    if (myEpoch !== epoch) throw discarded(start)
    const next = createTokenSet(result, {
      now: clock.now(),
      previous: start,
      sessionId: start.sessionId,
    })
    if (!sync.write(next)) {
      const stored = sync.read()
      if (stored !== undefined) return { tokens: stored, via: 'storage' }
    }
    sync.broadcastTokens(next, 'refreshed')
    return { tokens: next, via: 'network' }
  }

  function discarded(start: TokenSet): AuthError {
    emitter.emit('refreshDiscarded', { sessionId: start.sessionId })
    return new AuthError(
      'SignedOut',
      'The session changed while refreshing; the result was dropped.',
    )
  }

  async function execute(start: TokenSet): Promise<TokenSet> {
    const myEpoch = epoch
    clearTimer()
    set({ refresh: 'refreshing' })
    try {
      const locked = await lock.request(`${key}.refresh`, lockTimeoutMs, () =>
        critical(start, myEpoch),
      )
      let outcome: Outcome
      if (locked.acquired) outcome = locked.value
      else {
        emitter.emit('lockUnavailable', { reason: locked.reason })
        outcome = await critical(start, myEpoch)
      }
      if (myEpoch !== epoch) throw discarded(start)
      attempt = 0
      retryAt = undefined
      set({ status: 'authenticated', tokens: outcome.tokens, refresh: 'idle', error: null })
      const { sessionId, version, expiresAt } = outcome.tokens
      if (outcome.via === 'network')
        emitter.emit('tokensRefreshed', { sessionId, version, expiresAt })
      else emitter.emit('tokensAdopted', { sessionId, version, expiresAt, from: outcome.via })
      return outcome.tokens
    } catch (error) {
      const authError = toAuthError(error)
      if (myEpoch === epoch && !disposed) fail(authError)
      throw authError
    }
  }

  function fail(error: AuthError) {
    if (error.kind === 'terminal' || error.kind === 'reuse') {
      endSession(error.kind === 'reuse' ? 'reuse' : 'rejected', error, false)
      return
    }
    const fatal = error.kind === 'fatal'
    const delay = fatal
      ? (options.backoff?.maxMs ?? defaultBackoff.maxMs)
      : backoffDelay(attempt, random, options.backoff, error.retryAfterMs)
    attempt++
    retryAt = clock.now() + delay
    set({ refresh: fatal ? 'idle' : 'retrying', error })
    emitter.emit('refreshFailed', {
      error,
      willRetry: mounts > 0,
      retryInMs: mounts > 0 ? delay : undefined,
    })
  }

  function refresh({ force = false }: { force?: boolean } = {}): Promise<TokenSet> {
    if (disposed) return Promise.reject(new AuthError('Disposed', 'The auth client was disposed.'))
    start()
    if (bootstrap) return bootstrap.then(() => refresh({ force }))
    const tokens = snapshot().tokens
    if (tokens === null) return Promise.reject(noSession())
    if (inflight) return inflight
    if (!force && clock.now() < refreshDueAt(tokens, jitter)) return Promise.resolve(tokens)
    inflight = execute(tokens).finally(() => {
      inflight = undefined
      schedule()
    })
    return inflight
  }

  function noSession() {
    const reason = snapshot().signOutReason
    return new AuthError(
      reason ? 'SignedOut' : 'NoSession',
      reason ? 'The session has ended.' : 'Nobody is signed in.',
    )
  }

  async function getAccessToken({ minValiditySeconds = minValidity }: GetAccessTokenOptions = {}) {
    if (disposed) throw new AuthError('Disposed', 'The auth client was disposed.')
    start()
    await bootstrap
    const tokens = snapshot().tokens
    if (tokens === null) throw noSession()
    const now = clock.now()
    if (!needsRefresh(tokens, now, minValiditySeconds)) {
      // Refresh on read: a timer that slept through its deadline is caught up here, in the background.
      if (now >= refreshDueAt(tokens, jitter) && retryAt === undefined && !inflight) {
        void refresh().catch(() => undefined)
      }
      return tokens.accessToken
    }
    const backingOff = retryAt !== undefined && now < retryAt && !inflight
    try {
      if (backingOff) throw snapshot().error ?? noSession()
      return (await refresh({ force: true })).accessToken
    } catch (error) {
      // Keep a still-valid access token through network trouble (never on a terminal answer).
      const current = snapshot().tokens
      if (
        isAuthError(error) &&
        error.kind !== 'terminal' &&
        error.kind !== 'reuse' &&
        current &&
        current.expiresAt > clock.now()
      ) {
        return current.accessToken
      }
      throw error
    }
  }

  function onMessage(message: TabMessage) {
    const current = snapshot().tokens
    switch (message.type) {
      case 'tokens': {
        const parsed = parseSession(message.session)
        if (!parsed.ok || !parsed.hasRefreshToken) {
          emitter.emit('messageIgnored', { reason: 'invalid' })
          return
        }
        const incoming = parsed.tokens
        const sameSession = current !== null && current.sessionId === incoming.sessionId
        // A refresh of a session we do not hold is stale news; a sign-in elsewhere always wins.
        if (message.cause === 'refreshed' && !sameSession) return
        if (!sameSession || isNewer(incoming, current)) adopt(incoming, 'channel')
        return
      }
      case 'signedOut':
        if (
          current !== null &&
          (message.sessionId === null || message.sessionId === current.sessionId)
        ) {
          endSession(message.reason, undefined, true)
        }
        return
      case 'sessionRequest':
        answerSessionRequest(getChannel(), tabId, message, current)
    }
  }

  function onWake(reason: WakeReason) {
    if (reason === 'online' && retryAt !== undefined) retryAt = clock.now() // retry at once
    if (!inflight) tick()
  }

  return {
    getSnapshot: snapshot,
    subscribe: store.subscribe,
    on: emitter.on,
    mount() {
      if (disposed) return () => undefined
      start()
      if (mounts++ === 0) {
        const stopLifecycle = lifecycle(onWake)
        const stopChannel = sync.listen(onMessage)
        unlisten = () => {
          stopLifecycle()
          stopChannel()
        }
        tick()
      }
      let mounted = true
      return () => {
        if (!mounted) return
        mounted = false
        if (--mounts === 0) {
          unlisten?.()
          unlisten = undefined
          clearTimer()
        }
      }
    },
    setSession(result) {
      if (disposed) throw new AuthError('Disposed', 'The auth client was disposed.')
      start()
      let tokens: TokenSet
      try {
        tokens = createTokenSet(result, { now: clock.now(), sessionId: randomId() })
      } catch (error) {
        throw new AuthError('InvalidSession', `setSession: ${toAuthError(error).message}`, {
          kind: 'fatal',
        })
      }
      const previous = snapshot().tokens
      epoch++
      attempt = 0
      retryAt = undefined
      if (previous !== null && userOf(previous) !== userOf(tokens)) {
        emitter.emit('sessionReplaced', {
          previousUserId: userOf(previous),
          userId: userOf(tokens),
        })
      }
      sync.write(tokens, true)
      sync.broadcastTokens(tokens, 'signedIn')
      set({ status: 'authenticated', tokens, refresh: 'idle', error: null, signOutReason: null })
      emitter.emit('signedIn', {
        sessionId: tokens.sessionId,
        userId: userOf(tokens),
        fromOtherTab: false,
      })
      schedule()
      return tokens
    },
    getAccessToken,
    refresh,
    async signOut() {
      start()
      const tokens = snapshot().tokens
      endSession('signOut', undefined, false)
      if (tokens === null || options.revokeOnSignOut === false || transport.revoke === undefined)
        return
      try {
        await transport.revoke(
          { refreshToken: tokens.refreshToken },
          { signal: new AbortController().signal },
        )
      } catch (error) {
        emitter.emit('revokeFailed', { error: toAuthError(error) })
      }
    },
    dispose() {
      if (disposed) return
      disposed = true
      mounts = 0
      unlisten?.()
      clearTimer()
      channel?.close()
      emitter.clear()
    },
  }
}

export function toAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error
  // Never copy an unknown error's message: it may quote a reply body. Keep it as the cause.
  return new AuthError('NetworkError', 'The refresh failed before a reply arrived.', {
    cause: error,
  })
}

function resolveStorage(storage: AuthClientOptions['storage']): StorageAdapter {
  if (storage === undefined || storage === 'local') return localStorageAdapter()
  if (storage === 'session') return sessionStorageAdapter()
  if (storage === 'memory') return memoryStorage()
  return storage
}
