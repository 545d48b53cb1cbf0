/**
 * App-client checks shared by the operations: the client exists, and a confidential client got
 * its secret (raw, as GetTokensFromRefreshToken and RevokeToken take it) or a SECRET_HASH.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { ExplicitAuthFlow, ResolvedClient } from './config'
import { type Context, findClient } from './context'
import { ServiceError, invalidParameter, notAuthorized } from './errors'

export function requireClient(ctx: Context, clientId: string): ResolvedClient {
  const client = findClient(ctx, clientId)
  if (client === undefined) {
    throw new ServiceError(
      'ResourceNotFoundException',
      `User pool client ${clientId} does not exist.`,
    )
  }
  return client
}

/** Base64(HMAC-SHA256(key = secret, message = username + clientId)). */
export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64')
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export const secretMissingMessage = (client: ResolvedClient) =>
  `Client ${client.clientId} is configured for secret but secret was not received`

export const secretWrongMessage = (client: ResolvedClient) =>
  `Unable to verify secret hash for client ${client.clientId}`

/**
 * A public client ignores a secret it was sent (the real service's answer is undocumented; being
 * lenient keeps the emulator out of the way). `code` lets RevokeToken use its own error type.
 */
export function checkClientSecret(
  client: ResolvedClient,
  given: string | undefined,
  code = 'NotAuthorizedException',
): void {
  if (client.clientSecret === undefined) return
  if (given === undefined) throw new ServiceError(code, secretMissingMessage(client))
  if (!same(given, client.clientSecret)) throw new ServiceError(code, secretWrongMessage(client))
}

export function requireSecretHashPresent(client: ResolvedClient, hash: string | undefined): void {
  if (client.clientSecret !== undefined && hash === undefined) {
    throw notAuthorized(secretMissingMessage(client))
  }
}

/** SECRET_HASH is keyed on the user's real username, not the alias typed at sign-in. */
export function checkSecretHash(
  client: ResolvedClient,
  hash: string | undefined,
  username: string,
): void {
  if (client.clientSecret === undefined) return
  if (hash === undefined) throw notAuthorized(secretMissingMessage(client))
  if (!same(hash, secretHash(client.clientSecret, username, client.clientId))) {
    throw notAuthorized(secretWrongMessage(client))
  }
}

export function requireFlow(client: ResolvedClient, flow: ExplicitAuthFlow, name: string): void {
  if (!client.explicitAuthFlows.includes(flow)) {
    throw invalidParameter(`${name} flow not enabled for this client`)
  }
}
