import type { AuthClient } from '../core/client/authClient'
import type { AccessTokenClaims, TokenSet } from '../core/tokens'
import { decodeClaims, userOf } from '../core/tokens'
import {
  clockDriftFor,
  lastAuthUserKey,
  type LegacySource,
  legacyStorageOf,
  type LegacyStorage,
  type LegacyStorageOptions,
  readKey,
  userKey,
} from './legacyKeys'
import { clearLegacySession } from './clearLegacySession'

export interface LegacyWriteBackOptions extends LegacyStorageOptions {
  /** Whose layout to write (`clockDrift` differs). @default 'amazon-cognito-identity-js' */
  source?: LegacySource
  /**
   * The username to store the keys under.
   * @default the current `LastAuthUser` if its tokens belong to the same user, else the
   * `cognito:username` claim
   */
  username?: string
}

function sameUser(storage: LegacyStorage, clientId: string, username: string, tokens: TokenSet) {
  const stored = readKey(storage, userKey(clientId, username, 'accessToken'))
  if (stored === undefined) return false
  try {
    const claims = decodeClaims<AccessTokenClaims>(stored, 'legacy access token')
    return claims.sub !== undefined && claims.sub === userOf(tokens)
  } catch {
    return false
  }
}

function usernameFor(storage: LegacyStorage, options: LegacyWriteBackOptions, tokens: TokenSet) {
  if (options.username !== undefined) return options.username
  const last = readKey(storage, lastAuthUserKey(options.clientId))
  if (last !== undefined && sameUser(storage, options.clientId, last, tokens)) return last
  const claim = tokens.idClaims?.['cognito:username'] ?? tokens.accessClaims.username
  return typeof claim === 'string' ? claim : (userOf(tokens) ?? 'username')
}

/**
 * How far the server's clock is ahead of ours, as our expiry implies: `exp` is on the server's
 * clock and `expiresAt` on ours, so the legacy library computes the same expiry as the client.
 * Not `iat` against `receivedAt`: for adopted tokens `receivedAt` is the adoption, which can be
 * hours after the issue, and the legacy library would then trust the token for those hours more.
 * Without `exp`, `iat` against the receipt (right for tokens fresh from the server).
 */
function serverAheadOf(tokens: TokenSet): number | undefined {
  const { exp, iat } = tokens.accessClaims
  if (typeof exp === 'number' && Number.isFinite(exp)) return exp * 1000 - tokens.expiresAt
  const iats = [iat, tokens.idClaims?.iat].filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  )
  return iats.length > 0 ? Math.min(...iats) * 1000 - tokens.receivedAt : undefined
}

function write(storage: LegacyStorage, options: LegacyWriteBackOptions, tokens: TokenSet) {
  const { clientId } = options
  const source = options.source ?? 'amazon-cognito-identity-js'
  const username = usernameFor(storage, options, tokens)
  const set = (key: string, value: string | undefined) => {
    const full = userKey(clientId, username, key)
    if (value === undefined) storage.removeItem(full)
    else storage.setItem(full, value)
  }
  const aheadMs = serverAheadOf(tokens)
  set('idToken', tokens.idToken)
  set('accessToken', tokens.accessToken)
  set('refreshToken', tokens.refreshToken)
  if (aheadMs !== undefined) set('clockDrift', clockDriftFor(source, aheadMs))
  if (tokens.deviceKey !== undefined) set('deviceKey', tokens.deviceKey)
  if (tokens.deviceGroupKey !== undefined) set('deviceGroupKey', tokens.deviceGroupKey)
  if (tokens.randomPasswordKey !== undefined) set('randomPasswordKey', tokens.randomPasswordKey)
  // Last, so a reader that sees the pointer finds the tokens behind it.
  storage.setItem(lastAuthUserKey(clientId), username)
}

/**
 * Keeps the legacy keys in step with the client while old code still reads them: writes the
 * tokens after every sign-in and refresh (in any tab), and removes them when the session ends.
 * Returns the function that stops it. Remove it, then call `clearLegacySession`, once no legacy
 * code is left.
 */
export function legacyWriteBack(client: AuthClient, options: LegacyWriteBackOptions): () => void {
  let written: string | undefined
  let writtenUser: string | undefined
  const sync = () => {
    const storage = legacyStorageOf(options)
    if (storage === undefined) return
    const { tokens, status, signOutReason } = client.getSnapshot()
    try {
      if (tokens !== null && tokens.accessToken !== written) {
        write(storage, options, tokens)
        written = tokens.accessToken
        writtenUser = readKey(storage, lastAuthUserKey(options.clientId))
      } else if (tokens === null && status === 'unauthenticated' && signOutReason !== null) {
        // Only a session we wrote is cleared: a client that never had one must not sign old code out.
        if (written !== undefined) {
          clearLegacySession({ ...options, storage, ...(writtenUser && { username: writtenUser }) })
        }
        written = undefined
      }
    } catch {
      // A full or blocked storage: the legacy code sees stale tokens, ours is unaffected.
    }
  }
  const unsubscribe = client.subscribe(sync)
  sync()
  return unsubscribe
}
