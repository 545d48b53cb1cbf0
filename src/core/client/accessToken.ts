/**
 * What a read of the access token does: refresh on read, keep a still-valid token through network
 * trouble, and never add to an outage's load. The policy of `getAccessToken`, apart from the
 * client that wires it.
 */
import type { Clock } from '../platform/clock'
import { type AuthError, isAuthError } from '../errors'
import type { GetAccessTokenOptions } from './options'
import type { Refresher } from '../refresh/refresher'
import { needsRefresh } from '../refresh/schedule'
import type { AuthSnapshot } from '../state'
import type { TokenSet } from '../tokens'

export interface AccessTokenContext {
  clock: Clock
  refresher: Pick<Refresher, 'run' | 'isDue' | 'backingOff'>
  snapshot(): AuthSnapshot
  /** Starts the client and waits for its first decision (another tab's answer, say). */
  ready(): Promise<void>
  /** The error for "there is no session" (never signed in, or ended). */
  noSession(): AuthError
  minValiditySeconds: number
}

// `exp` counts whole seconds (it is floored at issue), so the server may see the token lapse up
// to a second before `expiresAt`: a token kept through trouble must have more than that left.
const expSecondMs = 1_000

export function accessTokenReader(ctx: AccessTokenContext) {
  const { clock, refresher, snapshot } = ctx
  const stillValid = (tokens: TokenSet) => tokens.expiresAt - expSecondMs > clock.now()

  return async function getAccessToken({
    minValiditySeconds = ctx.minValiditySeconds,
  }: GetAccessTokenOptions = {}): Promise<string> {
    await ctx.ready()
    // A refresh we join may have started for an older version and end with tokens that are no
    // fresher than ours (another tab's, adopted): look again, a bounded number of times.
    for (let round = 0; round < 3; round++) {
      const tokens = snapshot().tokens
      if (tokens === null) throw ctx.noSession()
      if (!needsRefresh(tokens, clock.now(), minValiditySeconds)) {
        // Refresh on read: a timer that slept past its due time is caught up, in the background.
        if (refresher.isDue(tokens) && !refresher.backingOff()) {
          void refresher.run(tokens, 'due').catch(() => undefined)
        }
        return tokens.accessToken
      }
      try {
        // During a backoff wait, answer at once instead of adding to an outage's load.
        if (refresher.backingOff()) throw snapshot().error ?? ctx.noSession()
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
    throw snapshot().error ?? ctx.noSession()
  }
}
