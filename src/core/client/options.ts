import type { BackoffOptions } from '../refresh/backoff'
import type { Channel } from '../platform/channel'
import type { Clock } from '../platform/clock'
import type { Lifecycle } from '../platform/lifecycle'
import type { Lock } from '../platform/lock'
import type { StorageAdapter } from '../platform/storage'
import type { AuthEventListener, AuthEventType } from '../events'
import type { AuthSnapshot } from '../state'
import type { AuthenticationResult, TokenSet } from '../tokens'

export interface RefreshOptions {
  /** Refresh even when not due. */
  force?: boolean
  /**
   * An API refused this access token (a 401). The client refreshes only if it is still the
   * current token and its generation did not itself come from such a refresh, in any tab: a storm
   * of 401s costs at most one refresh per generation. Implies `force`.
   */
  rejectedToken?: string
}
import type { Transport } from '../transports/types'

/** The seams of a client, each with its browser default. */
export interface Environment {
  /** @default systemClock */
  clock?: Clock
  /** Random numbers in [0, 1) for jitter and ids. @default Math.random */
  random?: () => number
  /** @default webLock() (Web Locks; falls back to a re-read where missing) */
  lock?: Lock
  /** @default broadcastChannel(storageKey), opened on first mount */
  channel?: Channel
  /** @default browserLifecycle (visibilitychange, focus, online, pageshow) */
  lifecycle?: Lifecycle
}

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
  /**
   * The platform the client runs on: time, randomness and the browser's cross-tab and lifecycle
   * APIs. Each has a browser default; pass fakes in tests, or your own on other hosts.
   */
  environment?: Environment
  /** Default for `getAccessToken({ minValiditySeconds })`. @default 30 */
  minValiditySeconds?: number
  /**
   * Full-jitter exponential backoff; the cap follows the access token's remaining validity (half
   * of it, between a minute and `maxMs`). @default { baseMs: 1000, maxMs: 300000 }
   */
  backoff?: BackoffOptions
  /** How long to wait for the cross-tab lock before going ahead after a re-read. @default 10000 */
  lockTimeoutMs?: number
  /** How long to wait for other tabs' answers before ending a session on a rejected token. @default 500 */
  peerTimeoutMs?: number
  /** Passed to the transport with every refresh (Cognito's pre token generation trigger). */
  clientMetadata?: Record<string, string>
  /** Revoke the refresh token on `signOut()` where the transport can. @default true */
  revokeOnSignOut?: boolean
  /**
   * The longest a transport call (refresh or revoke, custom transports included) may take: then
   * its `AbortSignal` is aborted and the attempt fails as a retryable `TimeoutError`.
   * @default 20000
   */
  refreshTimeoutMs?: number
  /**
   * The floor under odd lifetimes. Cognito issues access tokens for 5 minutes at least; tokens that
   * live less than this (a misconfigured pool, proxy or backend) are not refreshed again before
   * this long after they arrived, doubled for every refresh of the session, up to 5 minutes, in
   * every tab together. Tokens with a longer lifetime are not affected. Lower it for tests that use
   * very short lifetimes on the emulator.
   * @default 30000
   */
  minRefreshIntervalMs?: number
  /**
   * The app client's refresh-token validity (Cognito's default is 30 days). Gives the snapshot's
   * `sessionExpiresAt`, counted from the sign-in (rotation never extends it), and the
   * `sessionExpiring` event. @default undefined (unknown: no sessionExpiresAt)
   */
  refreshTokenValiditySeconds?: number
  /** How long before `sessionExpiresAt` the `sessionExpiring` event fires. @default 300 */
  sessionExpiryWarningSeconds?: number
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
  /**
   * Stores the tokens of a sign-in and tells the other tabs. `ExpiresIn: 0` is accepted for tokens
   * that are already expired (adopted from elsewhere): the first read refreshes them.
   */
  setSession(result: AuthenticationResult): TokenSet
  /** A valid access token, refreshed first when it lapses within `minValiditySeconds`. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>
  /**
   * Refreshes if due (or always with `force`); joins a refresh already under way. With
   * `rejectedToken` (an access token an API refused), a forced refresh happens only if that token
   * is still the current one and was not itself issued by such a refresh: at most one per token
   * generation, in any tab. Otherwise it resolves with the current tokens.
   */
  refresh(options?: RefreshOptions): Promise<TokenSet>
  signOut(): Promise<void>
  /** Releases every timer, listener and the channel. The client cannot be mounted again. */
  dispose(): void
}
