/**
 * REFRESH_TOKEN_AUTH / REFRESH_TOKEN. Refused on a rotating client (rotation must go through
 * GetTokensFromRefreshToken); never returns a refresh token. SECRET_HASH is keyed on the token
 * owner's username, so its value is checked once the token is known.
 */
import { checkSecretHash, requireFlow, requireSecretHashPresent } from '../clientAuth'
import type { ResolvedClient } from '../config'
import type { Context } from '../context'
import { ServiceError, invalidParameter } from '../errors'
import { issueTokens } from '../issue'
import { planDevice } from './devices'
import { lookUpRefreshToken, requireUser } from './refreshCore'

export async function refreshTokenAuth(
  ctx: Context,
  client: ResolvedClient,
  params: Record<string, string>,
) {
  if (client.rotation.enabled) {
    const { code, message } = ctx.config.behaviour.refreshTokenAuthOnRotatingClient
    throw new ServiceError(code, message)
  }
  requireFlow(client, 'ALLOW_REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH')
  const token = params.REFRESH_TOKEN
  if (token === undefined) throw invalidParameter('Missing required parameter REFRESH_TOKEN')
  requireSecretHashPresent(client, params.SECRET_HASH)
  const record = lookUpRefreshToken(ctx, client, token)
  checkSecretHash(client, params.SECRET_HASH, record.username)
  const device = planDevice(ctx, client, record, params.DEVICE_KEY, 'refuse')
  const user = requireUser(ctx, record)
  const tokens = await issueTokens(ctx, {
    client,
    user,
    originJti: record.originJti,
    authTime: record.authTime,
    scopes: record.scopes,
    deviceKey: device.key,
  })
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: tokens.AccessToken,
      ExpiresIn: tokens.ExpiresIn,
      TokenType: tokens.TokenType,
      IdToken: tokens.IdToken,
    },
  }
}
