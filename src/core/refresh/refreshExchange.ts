/**
 * What the client sends to the transport and what it takes back: a refresh's request built from
 * the session, its reply checked before it may become the session's next version, and the revoke
 * of a sign-out, bounded like every call.
 */
import { bounded } from './bounded'
import type { Clock } from '../platform/clock'
import { AuthError, toAuthError } from '../errors'
import { type AuthenticationResult, createTokenSet, type TokenSet, userOf } from '../tokens'
import type { RefreshRequest, Transport } from '../transports/types'

export function requestFor(
  tokens: TokenSet,
  clientMetadata: Record<string, string> | undefined,
): RefreshRequest {
  const username = tokens.idClaims?.['cognito:username'] ?? tokens.accessClaims.username
  return {
    refreshToken: tokens.refreshToken,
    ...(tokens.deviceKey !== undefined && { deviceKey: tokens.deviceKey }),
    ...(typeof username === 'string' && { username }),
    ...(clientMetadata !== undefined && { clientMetadata }),
  }
}

/** The next version of `start`'s session from a reply, or `InvalidResponse`. */
export function tokensFrom(
  result: AuthenticationResult,
  start: TokenSet,
  sentAt: number,
): TokenSet {
  const next = createTokenSet(result, { now: sentAt, previous: start, sessionId: start.sessionId })
  if (userOf(next) !== userOf(start)) {
    // A backend (or proxy cache) that answers with someone else's tokens: never hand them out.
    throw new AuthError('InvalidResponse', 'The refresh returned tokens of another user.', {
      kind: 'fatal',
    })
  }
  return next
}

/** Revokes the session's refresh token where the transport can; the failure, if any. */
export async function revokeFor(
  transport: Transport,
  tokens: TokenSet,
  clock: Clock,
  timeoutMs: number,
): Promise<AuthError | undefined> {
  const revoke = transport.revoke
  if (revoke === undefined) return undefined
  const request = { refreshToken: tokens.refreshToken }
  try {
    await bounded(clock, timeoutMs, (signal) => revoke.call(transport, request, { signal, clock }))
      .promise
    return undefined
  } catch (error) {
    return toAuthError(error)
  }
}
