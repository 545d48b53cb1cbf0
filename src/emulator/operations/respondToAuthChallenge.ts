/**
 * `RespondToAuthChallenge`: answers to NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, SMS_MFA,
 * EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP. A Session is valid for 3 minutes and a few wrong
 * answers; a wrong code is CodeMismatchException and the same Session can answer again.
 */
import { afterPassword, mfaChallenge, signedIn } from '../challenges/signIn'
import { challengeNames, type ChallengeSession, maxAttempts } from '../challenges/state'
import { totpMatches } from '../challenges/totp'
import { checkSecretHash, requireClient } from '../clientAuth'
import { type Context, now } from '../context'
import { ServiceError, invalidParameter, notAuthorized } from '../errors'
import type { MfaType } from '../options'
import type { UserRecord } from '../store'
import { passwordVerifier } from './srpAuth'
import { selectChallenge } from './userAuth'
import { clientIdRule, clientMetadataRule, map, type MemberRule, str, validate } from '../validate'

const rules: readonly MemberRule[] = [
  clientIdRule,
  {
    member: 'ChallengeName',
    type: 'string',
    required: true,
    enum: [...challengeNames, 'PASSWORD_VERIFIER'],
  },
  { member: 'Session', type: 'string', min: 20, max: 2048 },
  { member: 'ChallengeResponses', type: 'map' },
  clientMetadataRule,
]

export const expiredSession = 'Invalid session for the user, session is expired.'

/** The Session a call names, if it is live: spent, expired or another client's is refused. */
export function liveSession(ctx: Context, token: string | undefined, clientId: string) {
  const session = token === undefined ? undefined : ctx.store.challenges.sessions.get(token)
  if (session === undefined || session.clientId !== clientId || now(ctx) >= session.expiresAt) {
    if (token !== undefined) ctx.store.challenges.sessions.delete(token)
    throw notAuthorized(expiredSession)
  }
  return session
}

/** A wrong answer: counted against the Session, which is spent after `maxAttempts`. */
function wrong(ctx: Context, token: string, session: ChallengeSession, error: ServiceError): never {
  session.attempts++
  if (session.attempts >= maxAttempts) {
    ctx.store.challenges.sessions.delete(token)
    throw notAuthorized('Invalid code or auth state for the user.')
  }
  throw error
}

const codeMismatch = () =>
  new ServiceError('CodeMismatchException', 'Invalid code received for user')

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name]
  if (value === undefined || value === '')
    throw invalidParameter(`Missing required parameter ${name}`)
  return value
}

/** Cognito's default password policy: 8 characters, upper and lower case, a digit, a symbol. */
function checkPassword(password: string): void {
  const missing = [
    password.length < 8 && 'Password not long enough',
    !/[a-z]/.test(password) && 'Password must have lowercase characters',
    !/[A-Z]/.test(password) && 'Password must have uppercase characters',
    !/\d/.test(password) && 'Password must have numeric characters',
    !/[^A-Za-z0-9]/.test(password) && 'Password must have symbol characters',
  ].filter((m): m is string => typeof m === 'string')
  if (missing.length > 0) {
    throw new ServiceError(
      'InvalidPasswordException',
      `Password does not conform to policy: ${missing[0]}`,
    )
  }
}

export async function respondToAuthChallenge(ctx: Context, input: Record<string, unknown>) {
  const v = validate(input, rules)
  const client = requireClient(ctx, str(v.ClientId) ?? '')
  if (str(v.ChallengeName) === 'PASSWORD_VERIFIER') {
    return passwordVerifier(ctx, client, map(v.ChallengeResponses))
  }
  const token = str(v.Session)
  const session = liveSession(ctx, token, client.clientId)
  const name = str(v.ChallengeName)
  if (name !== session.challenge)
    throw invalidParameter(`The session is for ${session.challenge}, not ${name}.`)
  const responses = map(v.ChallengeResponses)
  const username = required(responses, 'USERNAME')
  const user: UserRecord | undefined = ctx.store.findUser(username)
  if (user === undefined || user.username !== session.username)
    throw notAuthorized('Invalid username for this session.')
  checkSecretHash(client, responses.SECRET_HASH, user.username)
  const done = () => ctx.store.challenges.sessions.delete(token!)

  switch (session.challenge) {
    case 'NEW_PASSWORD_REQUIRED': {
      const password = required(responses, 'NEW_PASSWORD')
      checkPassword(password)
      user.password = password
      user.status = 'CONFIRMED'
      for (const [key, value] of Object.entries(responses)) {
        if (key.startsWith('userAttributes.'))
          user.attributes[key.slice('userAttributes.'.length)] = value
      }
      done()
      return afterPassword(ctx, client, user)
    }
    case 'SOFTWARE_TOKEN_MFA': {
      const code = required(responses, 'SOFTWARE_TOKEN_MFA_CODE')
      const secret = user.mfa.totpSecret
      if (secret === undefined || !totpMatches(secret, code, now(ctx)))
        wrong(ctx, token!, session, codeMismatch())
      done()
      return signedIn(ctx, client, user)
    }
    case 'SMS_MFA':
    case 'SMS_OTP':
    case 'EMAIL_OTP': {
      const code = required(responses, `${session.challenge}_CODE`)
      if (code !== session.code) wrong(ctx, token!, session, codeMismatch())
      done()
      return signedIn(ctx, client, user)
    }
    case 'SELECT_CHALLENGE': {
      const next = await selectChallenge(ctx, client, user, session.choices ?? [], responses)
      done() // once the choice was taken: a bad answer may be corrected on the same Session
      return next
    }
    case 'SELECT_MFA_TYPE': {
      const answer = required(responses, 'ANSWER') as MfaType
      if (!(session.choices ?? []).includes(answer))
        throw invalidParameter(`${answer} is not one of the MFA types this user can choose.`)
      done()
      return mfaChallenge(ctx, client, user, answer)
    }
    case 'MFA_SETUP': {
      if (session.verified !== true) {
        throw invalidParameter(
          'Set up an authenticator first: AssociateSoftwareToken, then VerifySoftwareToken.',
        )
      }
      done()
      return signedIn(ctx, client, user)
    }
  }
}
