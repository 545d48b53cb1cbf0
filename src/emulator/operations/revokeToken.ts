/**
 * `RevokeToken`: revokes the refresh token's whole family (every rotated successor with it).
 * Unknown tokens succeed silently, as RFC 7009 asks of revocation endpoints.
 */
import { checkClientSecret, requireClient } from '../clientAuth'
import type { Context } from '../context'
import { ServiceError } from '../errors'
import { looksLikeJwt } from '../tokens'
import {
  clientIdRule,
  clientSecretRule,
  type MemberRule,
  patterns,
  str,
  validate,
} from '../validate'

const rules: readonly MemberRule[] = [
  { member: 'Token', type: 'string', required: true, pattern: patterns.token, sensitive: true },
  clientIdRule,
  clientSecretRule,
]

export async function revokeToken(ctx: Context, input: Record<string, unknown>) {
  const v = validate(input, rules)
  const client = requireClient(ctx, str(v.ClientId) ?? '')
  if (!client.enableTokenRevocation) {
    throw new ServiceError(
      'UnsupportedOperationException',
      'Token revocation is not enabled for this client.',
    )
  }
  checkClientSecret(client, str(v.ClientSecret), 'UnauthorizedException')
  const token = str(v.Token) ?? ''
  if (looksLikeJwt(token)) {
    throw new ServiceError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.')
  }
  const record = ctx.store.tokens.get(token)
  if (record !== undefined && record.clientId !== client.clientId) {
    throw new ServiceError('UnauthorizedException', 'The token was not issued to this client.')
  }
  if (record !== undefined) ctx.store.revokeFamily(record.originJti)
  return {}
}
