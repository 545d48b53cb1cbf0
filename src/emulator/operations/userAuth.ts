/**
 * Choice-based sign-in, `USER_AUTH`: the pool's first factors (`firstAuthFactors`) the user can
 * use, offered as SELECT_CHALLENGE (or taken at once with PREFERRED_CHALLENGE): PASSWORD,
 * PASSWORD_SRP, EMAIL_OTP and SMS_OTP. A password goes on to the user's MFA; a one-time code is
 * the whole sign-in, as Cognito's passwordless factors are.
 */
import { afterFirstPassword, challenge, codeChallenge } from '../challenges/signIn'
import { checkSecretHash, requireFlow } from '../clientAuth'
import type { ResolvedClient } from '../config'
import type { Context } from '../context'
import { invalidParameter, notAuthorized } from '../errors'
import type { UserRecord } from '../store'
import { srpAuth } from './srpAuth'

const wrongCredentials = 'Incorrect username or password.'

/** What this user can sign in with first, in Cognito's order. */
export function firstFactorsOf(ctx: Context, user: UserRecord): string[] {
  const allowed = ctx.config.firstAuthFactors
  return [
    ...(allowed.includes('PASSWORD') ? ['PASSWORD', 'PASSWORD_SRP'] : []),
    ...(allowed.includes('EMAIL_OTP') && user.attributes.email !== undefined ? ['EMAIL_OTP'] : []),
    ...(allowed.includes('SMS_OTP') && user.attributes.phone_number !== undefined
      ? ['SMS_OTP']
      : []),
  ]
}

/** One first factor, with what the request brought for it (PASSWORD, SRP_A). */
function answer(
  ctx: Context,
  client: ResolvedClient,
  user: UserRecord,
  factor: string,
  params: Record<string, string>,
) {
  if (factor === 'PASSWORD') {
    if (params.PASSWORD === undefined) throw invalidParameter('Missing required parameter PASSWORD')
    if (params.PASSWORD !== user.password) throw notAuthorized(wrongCredentials)
    return afterFirstPassword(ctx, client, user)
  }
  if (factor === 'PASSWORD_SRP') {
    return srpAuth(ctx, client, { ...params, USERNAME: user.username }, { viaUserAuth: true })
  }
  // EMAIL_OTP or SMS_OTP: a code to the address or phone; the code alone signs in.
  return codeChallenge(ctx, client, user, factor as 'EMAIL_OTP' | 'SMS_OTP', 8)
}

export function userAuth(ctx: Context, client: ResolvedClient, params: Record<string, string>) {
  requireFlow(client, 'ALLOW_USER_AUTH', 'USER_AUTH')
  const username = params.USERNAME
  if (username === undefined) throw invalidParameter('Missing required parameter USERNAME')
  checkSecretHash(client, params.SECRET_HASH, username)
  const user = ctx.store.findUser(username)
  if (user === undefined || !user.enabled) throw notAuthorized(wrongCredentials)
  const factors = firstFactorsOf(ctx, user)
  const preferred = params.PREFERRED_CHALLENGE
  if (preferred !== undefined && factors.includes(preferred))
    return answer(ctx, client, user, preferred, params)
  const reply = challenge(ctx, client, user, 'SELECT_CHALLENGE', {}, { choices: factors })
  return { ...reply, AvailableChallenges: factors }
}

/** RespondToAuthChallenge with SELECT_CHALLENGE: the chosen factor, with its PASSWORD or SRP_A. */
export function selectChallenge(
  ctx: Context,
  client: ResolvedClient,
  user: UserRecord,
  choices: readonly string[],
  responses: Record<string, string>,
) {
  const factor = responses.ANSWER ?? ''
  if (!choices.includes(factor))
    throw invalidParameter(`${factor.slice(0, 40)} is not one of the available challenges.`)
  return answer(ctx, client, user, factor, responses)
}
