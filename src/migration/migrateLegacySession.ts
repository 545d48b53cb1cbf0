/**
 * Reads a session that amazon-cognito-identity-js or Amplify JS v6 stored, and turns it into an
 * AuthenticationResult for `client.setSession()`, so users stay signed in across the switch.
 * Never throws: missing or corrupt data gives `{ session: null, reason }`.
 */
import type { AccessTokenClaims, AuthenticationResult, IdTokenClaims } from '../core/tokens'
import { systemClock } from '../core/platform/clock'
import { decodeClaims, maxExpiresInSeconds } from '../core/tokens'
import {
  lastAuthUserKey,
  legacyPrefix,
  type LegacySource,
  legacyStorageOf,
  type LegacyStorage,
  type LegacyStorageOptions,
  readKey,
  serverAheadMs,
  userKey,
} from './legacyKeys'

export interface MigrateLegacySessionOptions extends LegacyStorageOptions {
  /**
   * Which library wrote the session; they differ only in how `clockDrift` is stored. `auto` looks
   * for keys only Amplify v6 writes (`signInDetails`, `AuthUserList`, `oauthMetadata`) or only
   * identity-js writes (`userData`); with neither, it reads `clockDrift` both ways and takes the
   * earlier expiry, because refreshing early is harmless and using an expired token is not.
   * @default 'auto'
   */
  source?: LegacySource | 'auto'
  /** @default systemClock.now */
  now?: () => number
}

export type LegacyFailureReason =
  /** No storage, or it throws (a privacy mode). */
  | 'noStorage'
  /** No `LastAuthUser`: nobody was signed in. */
  | 'noUser'
  | 'noAccessToken'
  | 'noRefreshToken'
  /** A token is not a decodable JWT, or the access token has no `exp`. */
  | 'invalidToken'
  /** The access token was issued to another app client. */
  | 'otherClient'

export type LegacyMigration =
  | {
      /** Pass to `client.setSession()`. */
      session: AuthenticationResult
      reason: null
      /** Who wrote it; `unknown` when `auto` found no marker (the expiry was then read safely). */
      source: LegacySource | 'unknown'
      /** The username the keys were stored under. */
      username: string
      /** How far the server's clock was ahead of this device's, from `clockDrift`. */
      serverAheadMs: number
      /** The access token had already lapsed: `ExpiresIn` is 0 and the first read refreshes it. */
      expired: boolean
    }
  | { session: null; reason: LegacyFailureReason }

function detect(storage: LegacyStorage, clientId: string, username: string) {
  const has = (key: string) => readKey(storage, key) !== undefined
  if (
    has(userKey(clientId, username, 'signInDetails')) ||
    has(userKey(clientId, username, 'oauthMetadata')) ||
    has(`${legacyPrefix(clientId)}.AuthUserList`)
  ) {
    return 'amplify'
  }
  return has(userKey(clientId, username, 'userData')) ? 'amazon-cognito-identity-js' : 'unknown'
}

const deviceKeyPattern = /^[\w-]+_[\w-]+$/

export function migrateLegacySession(options: MigrateLegacySessionOptions): LegacyMigration {
  const storage = legacyStorageOf(options)
  if (storage === undefined) return { session: null, reason: 'noStorage' }
  const { clientId } = options
  const fail = (reason: LegacyFailureReason) => ({ session: null, reason }) as const
  // Amplify v6 falls back to the literal user name "username" when LastAuthUser is missing.
  const username =
    readKey(storage, lastAuthUserKey(clientId)) ??
    (readKey(storage, userKey(clientId, 'username', 'accessToken')) ? 'username' : undefined)
  if (username === undefined) return fail('noUser')
  const read = (key: string) => readKey(storage, userKey(clientId, username, key))
  const accessToken = read('accessToken')
  if (accessToken === undefined) return fail('noAccessToken')
  const refreshToken = read('refreshToken')
  if (refreshToken === undefined) return fail('noRefreshToken')
  const idToken = read('idToken')
  let access: AccessTokenClaims
  try {
    access = decodeClaims<AccessTokenClaims>(accessToken, 'access token')
    if (idToken !== undefined) decodeClaims<IdTokenClaims>(idToken, 'ID token')
  } catch {
    return fail('invalidToken')
  }
  const { exp, iat } = access
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return fail('invalidToken')
  if (access.token_use !== undefined && access.token_use !== 'access') return fail('invalidToken')
  if (access.client_id !== undefined && access.client_id !== clientId) return fail('otherClient')

  const requested = options.source ?? 'auto'
  const source = requested === 'auto' ? detect(storage, clientId, username) : requested
  const drift = read('clockDrift')
  const ahead =
    source === 'unknown'
      ? Math.max(
          serverAheadMs('amplify', drift),
          serverAheadMs('amazon-cognito-identity-js', drift),
        )
      : serverAheadMs(source, drift)
  const now = (options.now ?? systemClock.now)()
  const remaining = Math.floor((exp * 1000 - ahead - now) / 1000)
  // Never longer than the lifetime the server granted, whatever clockDrift said.
  const lifetime = typeof iat === 'number' && exp > iat ? exp - iat : maxExpiresInSeconds
  const expired = remaining < 1
  const session: AuthenticationResult = {
    AccessToken: accessToken,
    // setSession accepts 0 for tokens that are already expired: the first read refreshes them.
    ExpiresIn: expired ? 0 : Math.min(remaining, lifetime, maxExpiresInSeconds),
    TokenType: 'Bearer',
    RefreshToken: refreshToken,
  }
  if (idToken !== undefined) session.IdToken = idToken
  const deviceKey = read('deviceKey')
  if (deviceKey !== undefined && deviceKeyPattern.test(deviceKey)) {
    // All three: the key is sent with every refresh, the group key and the random password let
    // the legacy library (through legacyWriteBack) sign in on this device with device SRP.
    const deviceGroupKey = read('deviceGroupKey')
    const randomPasswordKey = read('randomPasswordKey')
    session.NewDeviceMetadata = {
      DeviceKey: deviceKey,
      ...(deviceGroupKey !== undefined && { DeviceGroupKey: deviceGroupKey }),
      ...(randomPasswordKey !== undefined && { RandomPasswordKey: randomPasswordKey }),
    }
  }
  return { session, reason: null, source, username, serverAheadMs: ahead, expired }
}
