import { jwtDecode } from 'jwt-decode'
import { AuthError } from './errors'

/** The `AuthenticationResult` Cognito returns from sign-in and refresh calls. */
export interface AuthenticationResult {
  AccessToken: string
  /** Seconds the access token is valid. A reply without it gets the token's `exp - iat`. */
  ExpiresIn: number
  TokenType?: string
  RefreshToken?: string
  IdToken?: string
  NewDeviceMetadata?: {
    DeviceKey?: string
    DeviceGroupKey?: string
    /**
     * Not from Cognito: the device password a sign-in library generated for ConfirmDevice
     * (amazon-cognito-identity-js and Amplify store it as `randomPasswordKey`), so a migrated
     * device stays remembered. Token material: never logged.
     */
    RandomPasswordKey?: string
  }
}

/** Claims of a Cognito access token; other claims pass through untyped. */
export interface AccessTokenClaims {
  sub?: string
  exp?: number
  iat?: number
  auth_time?: number
  client_id?: string
  username?: string
  scope?: string
  token_use?: string
  origin_jti?: string
  jti?: string
  device_key?: string
  'cognito:groups'?: string[]
  [claim: string]: unknown
}

/** Claims of a Cognito ID token; other claims pass through untyped. */
export interface IdTokenClaims {
  sub?: string
  aud?: string
  email?: string
  'cognito:username'?: string
  'cognito:groups'?: string[]
  [claim: string]: unknown
}

export interface TokenSet {
  readonly accessToken: string
  readonly idToken: string | undefined
  readonly refreshToken: string
  /** When the access token lapses, in local epoch ms, from `ExpiresIn` at receipt. */
  readonly expiresAt: number
  /** Local epoch ms when these tokens arrived. */
  readonly receivedAt: number
  /** Identifies one sign-in across refreshes and tabs. */
  readonly sessionId: string
  /** Local epoch ms of the sign-in; orders two sign-ins (the later one wins in every tab). */
  readonly signedInAt: number
  /** Grows by one with every refresh of this session; an older version never replaces a newer one. */
  readonly version: number
  /** Sent with every refresh: a device-tracking client refuses one without it. */
  readonly deviceKey: string | undefined
  readonly deviceGroupKey: string | undefined
  /** The remembered device's password (device SRP), kept for the legacy libraries; secret. */
  readonly randomPasswordKey: string | undefined
  readonly accessClaims: AccessTokenClaims
  readonly idClaims: IdTokenClaims | undefined
}

/** Cognito issues access tokens for 5 minutes to 1 day; more than a day is not a Cognito reply. */
export const maxExpiresInSeconds = 86_400

export function decodeClaims<T extends object>(token: unknown, which: string): T {
  if (typeof token === 'string' && token.split('.').length === 3) {
    let claims: unknown
    try {
      claims = jwtDecode(token)
    } catch {
      // jwt-decode's message quotes the token; say what was wrong, not what it was.
    }
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) return claims as T
  }
  throw new AuthError('InvalidResponse', `The ${which} is not a decodable JWT.`)
}

export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== ''

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (isNonEmptyString(value)) return value
  throw new AuthError('InvalidResponse', `${name} is not a string.`)
}

export interface TokenContext {
  now: number
  /** The set being refreshed; absent on sign-in. */
  previous?: TokenSet | undefined
  sessionId: string
  /** Accept `ExpiresIn: 0`: tokens adopted already expired (a migration), refreshed on first read. */
  allowExpired?: boolean
  /** For a sign-in: when it happened. @default now */
  signedInAt?: number
}

/**
 * Turns an AuthenticationResult into a TokenSet, or throws `InvalidResponse`. A result without a
 * `RefreshToken` keeps the previous one (rotation off); device metadata likewise.
 */
export function createTokenSet(result: unknown, context: TokenContext): TokenSet {
  const { now, previous } = context
  if (typeof result !== 'object' || result === null) {
    throw new AuthError('InvalidResponse', 'The reply has no AuthenticationResult.')
  }
  const r = result as Record<string, unknown>
  const { AccessToken: accessToken } = r
  if (typeof accessToken !== 'string') {
    throw new AuthError('InvalidResponse', 'The reply has no AccessToken.')
  }
  const accessClaims = decodeClaims<AccessTokenClaims>(accessToken, 'access token')
  const expiresIn = r.ExpiresIn ?? lifetimeOf(accessClaims)
  if (typeof expiresIn !== 'number') {
    throw new AuthError('InvalidResponse', 'The reply has no numeric ExpiresIn.')
  }
  // Negated, so that NaN fails too.
  if (!(expiresIn >= (context.allowExpired ? 0 : 1) && expiresIn <= maxExpiresInSeconds)) {
    throw new AuthError('InvalidResponse', `ExpiresIn ${expiresIn} is outside 1..86400 seconds.`)
  }
  const idToken = optionalString(r.IdToken, 'IdToken')
  const idClaims =
    idToken === undefined ? undefined : decodeClaims<IdTokenClaims>(idToken, 'ID token')
  const refreshToken = optionalString(r.RefreshToken, 'RefreshToken') ?? previous?.refreshToken
  if (refreshToken === undefined) {
    throw new AuthError(
      'InvalidResponse',
      'The reply has no RefreshToken and there is none to keep.',
    )
  }
  return {
    accessToken,
    idToken: idToken ?? previous?.idToken,
    refreshToken,
    expiresAt: now + expiresIn * 1000 - staleness(accessClaims, context),
    receivedAt: now,
    sessionId: context.sessionId,
    signedInAt: previous?.signedInAt ?? context.signedInAt ?? now,
    version: (previous?.version ?? 0) + 1,
    ...deviceOf(r.NewDeviceMetadata, accessClaims, previous),
    accessClaims,
    idClaims: idClaims ?? previous?.idClaims,
  }
}

/**
 * The lifetime the server granted, for a reply without `ExpiresIn`: `exp - iat`, both on the
 * server's clock, so a device clock that is off does not matter. Undefined without both claims.
 */
function lifetimeOf({ exp, iat }: AccessTokenClaims): number | undefined {
  return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? exp - iat : undefined
}

type Device = Pick<TokenSet, 'deviceKey' | 'deviceGroupKey' | 'randomPasswordKey'>

/**
 * The device of the new tokens: the one the reply issued, else the one the access token names
 * (`device_key`: a session set without NewDeviceMetadata still knows its device), else the one
 * kept. Group key and password belong to one device: a different device does not inherit them.
 */
function deviceOf(metadata: unknown, claims: AccessTokenClaims, previous?: TokenSet): Device {
  const m = ((typeof metadata === 'object' && metadata) || {}) as Record<string, unknown>
  const claimed = isNonEmptyString(claims.device_key) ? claims.device_key : undefined
  const deviceKey = optionalString(m.DeviceKey, 'DeviceKey') ?? claimed ?? previous?.deviceKey
  const kept = previous !== undefined && previous.deviceKey === deviceKey ? previous : undefined
  return {
    deviceKey,
    deviceGroupKey: optionalString(m.DeviceGroupKey, 'DeviceGroupKey') ?? kept?.deviceGroupKey,
    randomPasswordKey:
      optionalString(m.RandomPasswordKey, 'RandomPasswordKey') ?? kept?.randomPasswordKey,
  }
}

/**
 * How much older than a fresh token this one is, in ms. A retry inside Cognito's rotation grace
 * period can be answered with tokens issued for an earlier request; `ExpiresIn` then overstates
 * what is left. Comparing the `iat` claims of the previous and the new token (both on the server's
 * clock, so skew cancels) with the local time between them reveals it. Errs on the early side.
 */
function staleness(claims: AccessTokenClaims, context: TokenContext): number {
  const previous = context.previous
  const before = previous?.accessClaims.iat
  if (previous === undefined || typeof before !== 'number' || typeof claims.iat !== 'number') {
    return 0
  }
  const localElapsed = context.now - previous.receivedAt
  const serverElapsed = (claims.iat - before) * 1000
  return Math.max(0, localElapsed - serverElapsed)
}

/** The user a token set belongs to: `sub`, else the Cognito username. */
export function userOf(tokens: TokenSet): string | undefined {
  const { accessClaims, idClaims } = tokens
  return accessClaims.sub ?? idClaims?.sub ?? accessClaims.username
}

/**
 * Whether `a` continues `b`'s session: the same session id and the same user. Tokens that carry a
 * session's id but another user's claims are corrupt or forged: never adopted, never kept.
 */
export const sameSession = (a: TokenSet, b: TokenSet): boolean =>
  a.sessionId === b.sessionId && userOf(a) === userOf(b)

/**
 * Whether `a` is strictly newer than `b`: a later version of the same session, or a later sign-in
 * (ties broken by session id, so every tab orders two sign-ins the same way).
 */
export function isNewer(a: TokenSet, b: TokenSet | undefined): boolean {
  if (b === undefined) return true
  if (a.sessionId === b.sessionId) return a.version > b.version
  if (a.signedInAt !== b.signedInAt) return a.signedInAt > b.signedInAt
  return a.sessionId > b.sessionId
}
