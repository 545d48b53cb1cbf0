/**
 * `AssociateSoftwareToken` and `VerifySoftwareToken` during sign-in (MFA_SETUP): the first hands
 * out a TOTP secret for the challenge's Session, the second checks a code from it and turns the
 * authenticator on for the user. The Session is re-issued at each step, as Cognito does.
 */
import { liveSession } from './respondToAuthChallenge'
import { newTotpSecret, totpMatches } from '../challenges/totp'
import { type Context, now } from '../context'
import { ServiceError, invalidParameter, notAuthorized } from '../errors'
import { type MemberRule, str, validate } from '../validate'

const sessionRule: MemberRule = { member: 'Session', type: 'string', min: 20, max: 2048 }
const accessTokenRule: MemberRule = { member: 'AccessToken', type: 'string', sensitive: true }

/** The MFA_SETUP Session a call names; `advance()` moves it to a new token once the call succeeds. */
function moved(ctx: Context, input: Record<string, unknown>, extra: MemberRule[]) {
  const v = validate(input, [sessionRule, accessTokenRule, ...extra])
  const token = str(v.Session)
  if (token === undefined) {
    throw notAuthorized(
      str(v.AccessToken) === undefined
        ? 'Session or AccessToken is required.'
        : 'The emulator sets up an authenticator during sign-in (Session) only.',
    )
  }
  const entry = ctx.store.challenges.sessions.get(token)
  const session = liveSession(ctx, token, entry?.clientId ?? '')
  if (session.challenge !== 'MFA_SETUP') throw invalidParameter('The session is not for MFA_SETUP.')
  const advance = () => {
    ctx.store.challenges.sessions.delete(token)
    return ctx.store.challenges.open(session)
  }
  return { v, session, advance }
}

export async function associateSoftwareToken(ctx: Context, input: Record<string, unknown>) {
  const { session, advance } = moved(ctx, input, [])
  session.pendingSecret = newTotpSecret()
  session.verified = false
  return { SecretCode: session.pendingSecret, Session: advance() }
}

export async function verifySoftwareToken(ctx: Context, input: Record<string, unknown>) {
  const { v, session, advance } = moved(ctx, input, [
    { member: 'UserCode', type: 'string', required: true, min: 6, max: 6 },
    { member: 'FriendlyDeviceName', type: 'string', max: 131 },
  ])
  const secret = session.pendingSecret
  if (secret === undefined) throw invalidParameter('Call AssociateSoftwareToken first.')
  if (!totpMatches(secret, str(v.UserCode) ?? '', now(ctx))) {
    session.attempts++
    throw new ServiceError('EnableSoftwareTokenMFAException', 'Code mismatch')
  }
  const user = ctx.store.users.get(session.username)
  if (user === undefined) throw notAuthorized('User does not exist.')
  user.mfa = {
    ...user.mfa,
    totpSecret: secret,
    preferred: user.mfa.preferred ?? 'SOFTWARE_TOKEN_MFA',
  }
  session.verified = true
  return { Status: 'SUCCESS', Session: advance() }
}
