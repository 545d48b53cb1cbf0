/**
 * Mints ID and access tokens with Cognito's claims. `auth_time` and `origin_jti` come from the
 * refresh-token family so they survive refreshes; `jti`, `event_id`, `iat` and `exp` are new.
 */
import { randomUUID } from 'node:crypto'
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
  const { client, user, originJti, authTime, deviceKey } = input
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
    scope: 'aws.cognito.signin.user.admin',
    auth_time: authTime,
    exp: iat + client.accessTokenValiditySeconds,
    iat,
    jti: randomUUID(),
    username: user.username,
  }
  const id = {
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
  }
  const [AccessToken, IdToken] = await Promise.all([
    signJwt(ctx.keys.access, access),
    signJwt(ctx.keys.id, id),
  ])
  return { AccessToken, ExpiresIn: client.accessTokenValiditySeconds, TokenType: 'Bearer', IdToken }
}
