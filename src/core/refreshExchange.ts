/**
 * What a refresh sends to the transport and what it takes back: the request built from the
 * session, and the reply checked before it may become the session's next version.
 */
import { AuthError } from './errors'
import { type AuthenticationResult, createTokenSet, type TokenSet, userOf } from './tokens'
import type { RefreshRequest } from './transports/types'

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
