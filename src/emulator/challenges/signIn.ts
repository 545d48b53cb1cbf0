/**
 * What follows a correct password: a new password for a user in FORCE_CHANGE_PASSWORD, then MFA
 * as the pool and the user have it (a code, a choice of factor, or setting up an authenticator
 * app), then the tokens of a new refresh-token family. RespondToAuthChallenge continues here.
 */
import { randomUUID } from 'node:crypto'
import type { ResolvedClient } from '../config'
import { type Context, now } from '../context'
import { issueTokens } from '../issue'
import type { MfaType } from '../options'
import { newDeviceMetadata } from '../operations/devices'
import type { UserRecord } from '../store'
import { type ChallengeName, type ChallengeSession, sessionLifetimeMs } from './state'

/** A new refresh-token family and its first tokens: the end of every sign-in. */
export async function signedIn(ctx: Context, client: ResolvedClient, user: UserRecord) {
  const issuedAt = now(ctx)
  const device = client.deviceTracking ? newDeviceMetadata(ctx, user.username) : undefined
  const record = ctx.store.addRefreshToken({
    clientId: client.clientId,
    username: user.username,
    originJti: randomUUID(),
    authTime: Math.floor(issuedAt / 1000),
    issuedAt,
    expiresAt: issuedAt + client.refreshTokenValiditySeconds * 1000,
    viaApi: true,
    deviceKey: device?.key,
  })
  const tokens = await issueTokens(ctx, {
    client,
    user,
    originJti: record.originJti,
    authTime: record.authTime,
    deviceKey: device?.key,
  })
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: tokens.AccessToken,
      ExpiresIn: tokens.ExpiresIn,
      TokenType: tokens.TokenType,
      RefreshToken: record.token,
      IdToken: tokens.IdToken,
      ...(device !== undefined && { NewDeviceMetadata: device.metadata }),
    },
  }
}

/** A challenge reply, its Session stored for RespondToAuthChallenge. */
export function challenge(
  ctx: Context,
  client: ResolvedClient,
  user: UserRecord,
  name: ChallengeName,
  parameters: Record<string, string> = {},
  extra: Partial<ChallengeSession> = {},
) {
  const session = ctx.store.challenges.open({
    challenge: name,
    username: user.username,
    clientId: client.clientId,
    expiresAt: now(ctx) + sessionLifetimeMs,
    attempts: 0,
    ...extra,
  })
  return {
    ChallengeName: name,
    Session: session,
    ChallengeParameters: { USER_ID_FOR_SRP: user.username, ...parameters },
  }
}

/** The MFA types a user has set up, in Cognito's order. */
export function mfaTypesOf(user: UserRecord): MfaType[] {
  const types: MfaType[] = []
  if (user.mfa.sms === true && user.attributes.phone_number !== undefined) types.push('SMS_MFA')
  if (user.mfa.totpSecret !== undefined) types.push('SOFTWARE_TOKEN_MFA')
  if (user.mfa.email === true && user.attributes.email !== undefined) types.push('EMAIL_OTP')
  return types
}

const masked = (value: string, keep: number) =>
  `${'*'.repeat(Math.max(0, value.length - keep))}${value.slice(-keep)}`

function maskEmail(email: string): string {
  const [name = '', domain = ''] = email.split('@')
  return `${name.slice(0, 1)}***@${domain.slice(0, 1)}***`
}

/** A code of `digits` digits from the emulator's seeded random source. */
function newCode(ctx: Context, digits: number): string {
  return String(Math.floor(ctx.random.next() * 10 ** digits)).padStart(digits, '0')
}

/**
 * A challenge whose code goes by SMS (to `phone_number`) or email: the code "sent" (readable at
 * `emu.messages()`), the destination masked in the challenge. MFA codes have 6 digits, USER_AUTH's
 * one-time codes 8, as Cognito's.
 */
export function codeChallenge(
  ctx: Context,
  client: ResolvedClient,
  user: UserRecord,
  name: 'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP',
  digits = 6,
) {
  const code = newCode(ctx, digits)
  const sms = name !== 'EMAIL_OTP'
  const to = sms ? (user.attributes.phone_number ?? '') : (user.attributes.email ?? '')
  const destination = sms ? `+${masked(to.replace(/^\+/, ''), 4)}` : maskEmail(to)
  const medium = sms ? 'SMS' : 'EMAIL'
  ctx.store.challenges.send({
    username: user.username,
    medium,
    destination: to,
    code,
    at: now(ctx),
  })
  const parameters = {
    CODE_DELIVERY_DELIVERY_MEDIUM: medium,
    CODE_DELIVERY_DESTINATION: destination,
  }
  return challenge(ctx, client, user, name, parameters, { code })
}

/** The challenge for one MFA type: a code sent by SMS or email, or the authenticator's. */
export function mfaChallenge(
  ctx: Context,
  client: ResolvedClient,
  user: UserRecord,
  type: MfaType,
) {
  if (type === 'SOFTWARE_TOKEN_MFA') return challenge(ctx, client, user, type)
  return codeChallenge(ctx, client, user, type)
}

/** After the password (and a new one, where required): MFA, or the tokens. */
export function afterPassword(ctx: Context, client: ResolvedClient, user: UserRecord) {
  const mode = ctx.config.mfa
  const types = mode === 'OFF' ? [] : mfaTypesOf(user)
  if (types.length === 0) {
    if (mode !== 'ON') return signedIn(ctx, client, user)
    return challenge(ctx, client, user, 'MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' })
  }
  const preferred = user.mfa.preferred
  const chosen =
    preferred !== undefined && types.includes(preferred)
      ? preferred
      : types.length === 1
        ? types[0]!
        : undefined
  if (chosen !== undefined) return mfaChallenge(ctx, client, user, chosen)
  return challenge(
    ctx,
    client,
    user,
    'SELECT_MFA_TYPE',
    { MFAS_CAN_CHOOSE: JSON.stringify(types) },
    { choices: types },
  )
}

/** The first step after a correct password: a forced new password, or what follows it. */
export function afterFirstPassword(ctx: Context, client: ResolvedClient, user: UserRecord) {
  if (user.status !== 'FORCE_CHANGE_PASSWORD') return afterPassword(ctx, client, user)
  const {
    sub: _sub,
    email_verified: _ev,
    phone_number_verified: _pv,
    ...attributes
  } = user.attributes
  return challenge(ctx, client, user, 'NEW_PASSWORD_REQUIRED', {
    userAttributes: JSON.stringify(attributes),
    requiredAttributes: '[]',
  })
}
