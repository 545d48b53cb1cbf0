/** `GetTokensFromRefreshToken`: refresh with or without rotation, raw ClientSecret, DeviceKey. */
import { checkClientSecret, requireClient } from '../clientAuth'
import type { Context } from '../context'
import { issueTokens } from '../issue'
import {
  clientIdRule,
  clientMetadataRule,
  clientSecretRule,
  type MemberRule,
  patterns,
  str,
  validate,
} from '../validate'
import { newDeviceMetadata, planDevice } from './devices'
import { checkReuse, commitRotation, lookUpRefreshToken, requireUser } from './refreshCore'

const rules: readonly MemberRule[] = [
  {
    member: 'RefreshToken',
    type: 'string',
    required: true,
    pattern: patterns.token,
    sensitive: true,
  },
  clientIdRule,
  clientSecretRule,
  { member: 'DeviceKey', type: 'string', min: 1, max: 55, pattern: patterns.deviceKey },
  clientMetadataRule,
]

export async function getTokensFromRefreshToken(ctx: Context, input: Record<string, unknown>) {
  const v = validate(input, rules)
  const client = requireClient(ctx, str(v.ClientId) ?? '')
  checkClientSecret(client, str(v.ClientSecret))
  const record = lookUpRefreshToken(ctx, client, str(v.RefreshToken) ?? '')
  const reuse = checkReuse(ctx, client, record)
  const device = planDevice(ctx, client, record, str(v.DeviceKey), 'issue')
  const user = requireUser(ctx, record)
  const fresh = device.issueNew ? newDeviceMetadata(ctx, user.username) : undefined
  const deviceKey = fresh?.key ?? device.key
  const successor = client.rotation.enabled
    ? commitRotation(ctx, record, reuse, deviceKey)
    : undefined
  const tokens = await issueTokens(ctx, {
    client,
    user,
    originJti: record.originJti,
    authTime: record.authTime,
    scopes: record.scopes,
    deviceKey,
  })
  return {
    AuthenticationResult: {
      AccessToken: tokens.AccessToken,
      ExpiresIn: tokens.ExpiresIn,
      TokenType: tokens.TokenType,
      ...(successor !== undefined && { RefreshToken: successor.token }),
      IdToken: tokens.IdToken,
      ...(fresh !== undefined && { NewDeviceMetadata: fresh.metadata }),
    },
  }
}
