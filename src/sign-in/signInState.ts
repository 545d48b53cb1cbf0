/** What headless sign-in (`createSignIn`) holds and is given: its state, options and start. */
import type { AuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import type { TokenSet } from '../core/tokens'
import type { ChallengeStep, WireOptions } from './challengeWire'
import type { SrpAuth } from './srp/srp'

export interface SignInFlowOptions extends WireOptions {
  /** USER_SRP_AUTH: `srp` from `react-cognito-refresh/sign-in/srp`; needs `userPoolId`. */
  srp?: SrpAuth
  /** The user pool, e.g. `eu-west-1_AbC123` (SRP's proof contains its name). */
  userPoolId?: string
  /** @default the system clock (a challenge's 3 minutes are measured on it) */
  clock?: Clock
}

/** Where the flow is, and what went wrong with the last answer (`error`), if anything. */
export type SignInState = (
  { step: 'start' } | ChallengeStep | { step: 'signedIn'; tokens: TokenSet }
) & {
  /** A request is on the wire: disable the form. */
  busy: boolean
  error: AuthError | null
  /** The username as Cognito knows it, once it answered. */
  username: string | null
  /** When the current challenge lapses (epoch ms). */
  expiresAt: number | null
}

/** How long Cognito keeps a challenge's Session. */
export const challengeLifetimeMs = 3 * 60_000
export const startState: SignInState = {
  step: 'start',
  busy: false,
  error: null,
  username: null,
  expiresAt: null,
}
