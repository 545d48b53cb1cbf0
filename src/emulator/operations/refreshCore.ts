/**
 * The refresh checks shared by GetTokensFromRefreshToken, InitiateAuth REFRESH_TOKEN_AUTH and
 * /oauth2/token, in the order of the protocol reference §9.6: token known to this client,
 * not revoked, not expired, not reused after rotation, user present and enabled. Rotation is
 * committed only after every check passed, so a refused call changes nothing.
 */
import type { ResolvedClient } from '../config'
import { type Context, now } from '../context'
import {
  ServiceError,
  expiredRefreshToken,
  invalidRefreshToken,
  notAuthorized,
  revokedRefreshToken,
} from '../errors'
import type { RefreshRecord, UserRecord } from '../store'

/** Steps 3–5: known and issued to this client, not revoked, not expired. */
export function lookUpRefreshToken(
  ctx: Context,
  client: ResolvedClient,
  token: string,
): RefreshRecord {
  const record = ctx.store.tokens.get(token)
  if (record === undefined || record.clientId !== client.clientId)
    throw notAuthorized(invalidRefreshToken)
  if (record.revoked) throw notAuthorized(revokedRefreshToken)
  if (now(ctx) >= record.expiresAt) throw notAuthorized(expiredRefreshToken)
  return record
}

export type ReuseState = 'fresh' | 'grace'

/** Step 6: a rotated-away token works only inside the grace window. */
export function checkReuse(
  ctx: Context,
  client: ResolvedClient,
  record: RefreshRecord,
): ReuseState {
  if (record.rotatedAt === undefined) return 'fresh'
  const graceMs = client.rotation.retryGracePeriodSeconds * 1000
  if (graceMs > 0 && now(ctx) < record.rotatedAt + graceMs) return 'grace'
  if (ctx.config.behaviour.reuseRevokesFamily) ctx.store.revokeFamily(record.originJti)
  throw new ServiceError('RefreshTokenReuseException', ctx.config.behaviour.reuseMessage)
}

/** Step 8: the owner still exists and is enabled. */
export function requireUser(ctx: Context, record: RefreshRecord): UserRecord {
  const user = ctx.store.users.get(record.username)
  if (user === undefined) throw new ServiceError('UserNotFoundException', 'User does not exist.')
  if (!user.enabled) throw notAuthorized('User is disabled.')
  return user
}

/** Issues (or, inside the grace window, re-issues) the successor of a rotating client's token. */
export function commitRotation(
  ctx: Context,
  record: RefreshRecord,
  state: ReuseState,
  deviceKey: string | undefined,
): RefreshRecord {
  if (
    state === 'grace' &&
    ctx.config.behaviour.graceReuse === 'same' &&
    record.successor !== undefined
  ) {
    const successor = ctx.store.tokens.get(record.successor)
    if (successor !== undefined) return successor
  }
  const successor = ctx.store.addRefreshToken({
    clientId: record.clientId,
    username: record.username,
    originJti: record.originJti,
    authTime: record.authTime,
    issuedAt: now(ctx),
    expiresAt: record.expiresAt,
    viaApi: record.viaApi,
    deviceKey: deviceKey ?? record.deviceKey,
    ...(record.scopes !== undefined && { scopes: record.scopes }),
  })
  if (state === 'fresh') record.rotatedAt = now(ctx)
  record.successor = successor.token
  return successor
}
