/**
 * Headless sign-in on the wire: InitiateAuth / RespondToAuthChallenge / AssociateSoftwareToken /
 * VerifySoftwareToken through the core's awsJson call, Cognito's error types turned into the
 * sign-in codes, and a challenge reply read into the step an app renders.
 */
import { AuthError, isAuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import { signInErrorCodes } from '../core/signInErrors'
import type { AuthenticationResult } from '../core/tokens'
import { callCognito, type CognitoEndpointOptions } from '../core/transports/awsJson'
import { secretHash } from '../core/transports/secretHash'

export type MfaType = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP'
/** USER_AUTH's first factors (`WEB_AUTHN` is offered by Cognito; this release does not answer it). */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN'

/** What the app renders next. */
export type ChallengeStep =
  | { step: 'newPassword'; requiredAttributes: string[]; userAttributes: Record<string, string> }
  | { step: 'totpCode' }
  | { step: 'smsCode'; destination: string | undefined }
  | { step: 'emailCode'; destination: string | undefined }
  | { step: 'selectMfa'; options: MfaType[] }
  /** USER_AUTH's SELECT_CHALLENGE: the first factors this user may sign in with. */
  | { step: 'selectFactor'; options: FirstFactor[] }
  | { step: 'setupTotp'; secret: string; uri: string }

export interface WireOptions extends CognitoEndpointOptions {
  clientId: string
  /** For an app client with a secret (server side only): SECRET_HASH is sent. */
  clientSecret?: string
  clientMetadata?: Record<string, string>
  /** Threat protection's `UserContextData.EncodedData`, e.g. from Cognito's advanced security script. */
  userContextData?: (username: string) => string | undefined
  /** The issuer an authenticator app shows for a TOTP set up here. @default 'Cognito' */
  totpIssuer?: string
}

/** One call; `secrets` (the password, a code, the Session) are scrubbed from any error text. */
export async function cognitoCall(
  operation: string,
  body: Record<string, unknown>,
  options: WireOptions & { clock: Clock; signal: AbortSignal; secrets: string[] },
): Promise<Record<string, unknown>> {
  try {
    return await callCognito(operation, body, {
      ...options,
      secrets: [...options.secrets, ...(options.clientSecret ? [options.clientSecret] : [])],
    })
  } catch (error) {
    if (!isAuthError(error) || error.code !== 'UnknownServiceError') throw error
    const code = error.serviceCode ?? ''
    if (!signInErrorCodes.includes(code)) throw error
    const { status, requestId } = error
    return Promise.reject(
      new AuthError(code as never, error.message, {
        kind: 'fatal',
        ...(status !== undefined && { status }),
        ...(requestId !== undefined && { requestId }),
      }),
    )
  }
}

/** A challenge whose Session lapsed (Cognito keeps it 3 minutes). */
export const lapsed = () =>
  new AuthError('ChallengeExpired', 'The sign-in took longer than 3 minutes: start again.', {
    kind: 'fatal',
  })

/** The members every request of one user's sign-in carries. */
export function common(options: WireOptions, username: string) {
  const context = options.userContextData?.(username)
  return {
    ClientId: options.clientId,
    ...(options.clientMetadata !== undefined && { ClientMetadata: options.clientMetadata }),
    ...(context !== undefined && { UserContextData: { EncodedData: context } }),
  }
}

/** The username's SECRET_HASH, for a client with a secret. */
export const hashFor = async (options: WireOptions, username: string) =>
  options.clientSecret === undefined
    ? {}
    : { SECRET_HASH: await secretHash(options.clientSecret, username, options.clientId) }

const parseList = (text: string | undefined): string[] => {
  try {
    const value: unknown = JSON.parse(text ?? '[]')
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

function parseAttributes(text: string | undefined): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text ?? '{}')
    if (typeof value !== 'object' || value === null) return {}
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string'))
  } catch {
    return {}
  }
}

/** A reply read: tokens, or the next challenge with its Session. */
export type Reply =
  | { result: AuthenticationResult }
  | {
      challenge: string
      session: string
      parameters: Record<string, string>
      /** SELECT_CHALLENGE's AvailableChallenges. */
      available: string[]
    }

export function readReply(json: Record<string, unknown>): Reply {
  const result = json.AuthenticationResult
  if (typeof result === 'object' && result !== null)
    return { result: result as AuthenticationResult }
  const { ChallengeName: name, ChallengeParameters: parameters } = json
  // PASSWORD_VERIFIER may come without a Session (its SECRET_BLOCK carries the state).
  const session = json.Session ?? (name === 'PASSWORD_VERIFIER' ? '' : undefined)
  if (typeof name !== 'string' || typeof session !== 'string') {
    throw new AuthError('InvalidResponse', 'The reply has neither tokens nor a challenge.')
  }
  const params = typeof parameters === 'object' && parameters !== null ? parameters : {}
  const available = Array.isArray(json.AvailableChallenges)
    ? json.AvailableChallenges.filter((c): c is string => typeof c === 'string')
    : []
  return { challenge: name, session, parameters: params as Record<string, string>, available }
}

const mfaTypes: readonly string[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP']

/** The step a challenge asks for, or undefined for one this flow does not answer. */
const firstFactors: readonly string[] = [
  'PASSWORD',
  'PASSWORD_SRP',
  'EMAIL_OTP',
  'SMS_OTP',
  'WEB_AUTHN',
]

export function stepOf(
  challenge: string,
  p: Record<string, string>,
  available: readonly string[] = [],
): ChallengeStep | undefined {
  const destination = p.CODE_DELIVERY_DESTINATION
  switch (challenge) {
    case 'NEW_PASSWORD_REQUIRED':
      return {
        step: 'newPassword',
        requiredAttributes: parseList(p.requiredAttributes).map((a) =>
          a.replace(/^userAttributes\./, ''),
        ),
        userAttributes: parseAttributes(p.userAttributes),
      }
    case 'SOFTWARE_TOKEN_MFA':
      return { step: 'totpCode' }
    case 'SMS_MFA':
    case 'SMS_OTP':
      return { step: 'smsCode', destination }
    case 'EMAIL_OTP':
      return { step: 'emailCode', destination }
    case 'SELECT_MFA_TYPE':
      return {
        step: 'selectMfa',
        options: parseList(p.MFAS_CAN_CHOOSE).filter((t) => mfaTypes.includes(t)) as MfaType[],
      }
    case 'SELECT_CHALLENGE':
      return {
        step: 'selectFactor',
        options: available.filter((f) => firstFactors.includes(f)) as FirstFactor[],
      }
    default:
      return undefined
  }
}

/** The `otpauth://` URI an authenticator app scans (as a QR code) for `secret`. */
export function totpUri(secret: string, username: string, issuer = 'Cognito'): string {
  const label = encodeURIComponent(`${issuer}:${username}`)
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`
}
