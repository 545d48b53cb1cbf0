/**
 * Mints ID and access tokens with Cognito's claims. `auth_time` and `origin_jti` come from the
 * refresh-token family so they survive refreshes; `jti`, `event_id`, `iat` and `exp` are new.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { ResolvedClient } from './config'
import { type Context, issuerOf, now } from './context'
import type { UserRecord } from './store'
import { signJwt } from './tokens'

export interface IssuedTokens {
  AccessToken: string
  ExpiresIn: number
  TokenType: 'Bearer'
  IdToken: string
}

export interface IssueInput {
  client: ResolvedClient
  user: UserRecord
  originJti: string
  /** Seconds. */
  authTime: number
  deviceKey: string | undefined
  /** OAuth scopes of a managed-login session; the access token's `scope`. @default API sign-in */
  scopes?: readonly string[] | undefined
  /** The authorize request's `nonce`, put into this (first) ID token only. */
  nonce?: string | undefined
}

/** OIDC's at_hash: the left half of SHA-256 of the access token, base64url. */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url')
}

/** `email_verified: "true"` is a boolean in real ID tokens; other attributes stay strings. */
function attributeClaims(attributes: Record<string, string>): Record<string, unknown> {
  const claims: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub') continue
    claims[name] = name.endsWith('_verified') ? value === 'true' : value
  }
  return claims
}

export async function issueTokens(ctx: Context, input: IssueInput): Promise<IssuedTokens> {
  const { client, user, originJti, authTime, deviceKey, scopes, nonce } = input
  const iat = Math.floor(now(ctx) / 1000)
  const iss = issuerOf(ctx)
  const eventId = randomUUID()
  const groups = user.groups.length > 0 ? { 'cognito:groups': user.groups } : {}
  const access = {
    sub: user.sub,
    ...groups,
    ...(deviceKey !== undefined && { device_key: deviceKey }),
    iss,
    client_id: client.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: scopes === undefined ? 'aws.cognito.signin.user.admin' : scopes.join(' '),
    auth_time: authTime,
    exp: iat + client.accessTokenValiditySeconds,
    iat,
    jti: randomUUID(),
    username: user.username,
  }
  const AccessToken = await signJwt(ctx.keys.access, access)
  const id = {
    ...(scopes !== undefined && { at_hash: atHash(AccessToken) }),
    sub: user.sub,
    ...groups,
    ...attributeClaims(user.attributes),
    iss,
    'cognito:username': user.username,
    origin_jti: originJti,
    aud: client.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: authTime,
    exp: iat + client.idTokenValiditySeconds,
    iat,
    jti: randomUUID(),
    ...(nonce !== undefined && { nonce }),
  }
  const IdToken = await signJwt(ctx.keys.id, id)
  return { AccessToken, ExpiresIn: client.accessTokenValiditySeconds, TokenType: 'Bearer', IdToken }
}
