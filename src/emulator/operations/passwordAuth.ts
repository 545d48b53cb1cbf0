/**
 * USER_PASSWORD_AUTH (and AdminInitiateAuth's ADMIN_USER_PASSWORD_AUTH): the sign-in the emulator
 * offers, starting a refresh-token family.
 */
import { randomUUID } from 'node:crypto'
import { checkSecretHash, requireFlow } from '../clientAuth'
import type { ExplicitAuthFlow, ResolvedClient } from '../config'
import { type Context, now } from '../context'
import { ServiceError, invalidParameter, notAuthorized } from '../errors'
import { issueTokens } from '../issue'
import { newDeviceMetadata } from './devices'

/** Pools created today hide whether a user exists ("prevent user existence errors" is on). */
const wrongCredentials = 'Incorrect username or password.'

export async function passwordAuth(
  ctx: Context,
  client: ResolvedClient,
  params: Record<string, string>,
  { allow, flow }: { allow: ExplicitAuthFlow; flow: string } = {
    allow: 'ALLOW_USER_PASSWORD_AUTH',
    flow: 'USER_PASSWORD_AUTH',
  },
) {
  requireFlow(client, allow, flow)
  const username = params.USERNAME
  if (username === undefined) throw invalidParameter('Missing required parameter USERNAME')
  const password = params.PASSWORD
  if (password === undefined) throw invalidParameter('Missing required parameter PASSWORD')
  checkSecretHash(client, params.SECRET_HASH, username)
  const user = ctx.store.findUser(username)
  if (user === undefined || user.password !== password) throw notAuthorized(wrongCredentials)
  if (!user.enabled) throw notAuthorized('User is disabled.')
  if (!user.confirmed) throw new ServiceError('UserNotConfirmedException', 'User is not confirmed.')
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
