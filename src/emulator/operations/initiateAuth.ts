/** `InitiateAuth`: USER_PASSWORD_AUTH or USER_SRP_AUTH to sign in, REFRESH_TOKEN_AUTH / REFRESH_TOKEN to refresh. */
import { requireClient } from '../clientAuth'
import type { Context } from '../context'
import { ServiceError } from '../errors'
import { clientIdRule, clientMetadataRule, map, type MemberRule, str, validate } from '../validate'
import { passwordAuth } from './passwordAuth'
import { refreshTokenAuth } from './refreshTokenAuth'
import { srpAuth } from './srpAuth'
import { userAuth } from './userAuth'

export const authFlows = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
] as const

const rules: readonly MemberRule[] = [
  { member: 'AuthFlow', type: 'string', required: true, enum: authFlows },
  { member: 'AuthParameters', type: 'map' },
  clientMetadataRule,
  clientIdRule,
]

export function isRefreshFlow(flow: unknown): boolean {
  return flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN'
}

export async function initiateAuth(ctx: Context, input: Record<string, unknown>) {
  const v = validate(input, rules)
  const flow = str(v.AuthFlow) ?? ''
  const client = requireClient(ctx, str(v.ClientId) ?? '')
  const params = map(v.AuthParameters)
  if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(ctx, client, params)
  if (flow === 'USER_SRP_AUTH') return srpAuth(ctx, client, params)
  if (flow === 'USER_AUTH') return userAuth(ctx, client, params)
  if (isRefreshFlow(flow)) return refreshTokenAuth(ctx, client, params)
  throw new ServiceError(
    'InvalidParameterException',
    `${flow} is not supported by the emulator; use USER_PASSWORD_AUTH, USER_SRP_AUTH, USER_AUTH or REFRESH_TOKEN_AUTH.`,
  )
}
