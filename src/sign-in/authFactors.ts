/**
 * `getUserAuthFactors(client, options)`: what the signed-in user can sign in with and has set up
 * (Cognito's `GetUserAuthFactors`), for a settings page or to offer the right sign-in next time.
 * Uses the client's access token (refreshed first when it lapses), never a stored copy.
 */
import type { AuthClient } from '../core/client/options'
import { AuthError } from '../core/errors'
import { type Clock, systemClock } from '../core/platform/clock'
import { callCognito, type CognitoEndpointOptions } from '../core/transports/awsJson'
import type { FirstFactor, MfaType } from './challengeWire'

export interface UserAuthFactors {
  username: string
  /** The first factors this user can choose in choice-based sign-in (`USER_AUTH`). */
  firstFactors: FirstFactor[]
  /** The MFA the user has set up, and the preferred one. */
  mfa: MfaType[]
  preferredMfa: MfaType | undefined
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []

export async function getUserAuthFactors(
  client: AuthClient,
  options: CognitoEndpointOptions & { clock?: Clock },
): Promise<UserAuthFactors> {
  const token = await client.getAccessToken()
  const json = await callCognito(
    'GetUserAuthFactors',
    { AccessToken: token },
    {
      ...options,
      clock: options.clock ?? systemClock,
      signal: new AbortController().signal,
      secrets: [token],
    },
  )
  if (typeof json.Username !== 'string') {
    throw new AuthError('InvalidResponse', 'The GetUserAuthFactors reply has no Username.')
  }
  const preferred = json.PreferredMfaSetting
  return {
    username: json.Username,
    firstFactors: strings(json.ConfiguredUserAuthFactors) as FirstFactor[],
    mfa: strings(json.UserMFASettingList) as MfaType[],
    preferredMfa: typeof preferred === 'string' ? (preferred as MfaType) : undefined,
  }
}
