/**
 * The token set of a sign-in (`setSession`): a new session id, and a sign-in time that orders it
 * after every sign-in this tab knows of.
 */
import type { Clock } from '../platform/clock'
import { AuthError, toAuthError } from '../errors'
import { type AuthenticationResult, createTokenSet, type TokenSet } from '../tokens'

export interface SignInContext {
  clock: Clock
  randomId(): string
  /** The latest sign-in time this tab knows of: its own session's, the stored one's or the marker's. */
  latestSignIn: number
}

/** @throws AuthError `InvalidSession` (kind `fatal`) for a result it cannot use. */
export function signInTokens(result: AuthenticationResult, ctx: SignInContext): TokenSet {
  // Even within one millisecond a sign-in comes after every one this tab knows of: every tab then
  // orders them the same way (a logical clock, not only the wall clock). A tab still asking its
  // peers for the session (private storage) knows the latest one only from the marker.
  const now = ctx.clock.now()
  const signedInAt = Math.max(now, ctx.latestSignIn + 1)
  try {
    return createTokenSet(result, {
      now,
      sessionId: ctx.randomId(),
      allowExpired: true,
      signedInAt,
    })
  } catch (error) {
    const reason = toAuthError(error).message
    throw new AuthError('InvalidSession', `setSession: ${reason}`, { kind: 'fatal' })
  }
}
