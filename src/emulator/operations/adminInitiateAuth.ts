/**
 * `AdminInitiateAuth`: the IAM-signed sign-in and refresh a backend calls. REFRESH_TOKEN_AUTH /
 * REFRESH_TOKEN refresh as through InitiateAuth; ADMIN_USER_PASSWORD_AUTH (and its older name
 * ADMIN_NO_SRP_AUTH) signs in. The SigV4 signature is checked for shape, not verified, as local
 * emulators do: any credentials sign.
 */
import { requireClient } from '../clientAuth'
import type { Context } from '../context'
import { ServiceError } from '../errors'
import { clientIdRule, clientMetadataRule, map, type MemberRule, str, validate } from '../validate'
import { authFlows, isRefreshFlow } from './initiateAuth'
import { passwordAuth } from './passwordAuth'
import { refreshTokenAuth } from './refreshTokenAuth'

const rules: readonly MemberRule[] = [
  {
    member: 'UserPoolId',
    type: 'string',
    required: true,
    min: 1,
    max: 55,
    pattern: { re: /^[\w-]+_[0-9a-zA-Z]+$/, text: '[\\w-]+_[0-9a-zA-Z]+' },
  },
  { member: 'AuthFlow', type: 'string', required: true, enum: authFlows },
  { member: 'AuthParameters', type: 'map' },
  clientMetadataRule,
  clientIdRule,
  { member: 'AnalyticsMetadata', type: 'map' },
  { member: 'ContextData', type: 'map' },
]

/** An `Authorization` header the way SigV4 writes it (the signature itself is not checked). */
const sigV4 =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[\w-]+\/cognito-idp\/aws4_request, ?SignedHeaders=[\w;-]+, ?Signature=[0-9a-f]{64}$/

/** What the service answers a call to an IAM-authorised operation that is not signed. */
export function requireSignature(authorization: string | undefined): void {
  if (authorization === undefined || authorization === '') {
    throw new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token')
  }
  if (!sigV4.test(authorization)) {
    throw new ServiceError(
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders and Signature parameters.',
    )
  }
}

export async function adminInitiateAuth(ctx: Context, input: Record<string, unknown>) {
  const v = validate(input, rules)
  const poolId = str(v.UserPoolId) ?? ''
  if (poolId !== ctx.config.userPoolId) {
    throw new ServiceError('ResourceNotFoundException', `User pool ${poolId} does not exist.`)
  }
  const flow = str(v.AuthFlow) ?? ''
  const client = requireClient(ctx, str(v.ClientId) ?? '')
  const params = map(v.AuthParameters)
  if (flow === 'ADMIN_USER_PASSWORD_AUTH' || flow === 'ADMIN_NO_SRP_AUTH') {
    return passwordAuth(ctx, client, params, { allow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH', flow })
  }
  if (isRefreshFlow(flow)) return refreshTokenAuth(ctx, client, params)
  throw new ServiceError(
    'InvalidParameterException',
    `${flow} is not supported by the emulator's AdminInitiateAuth; use ADMIN_USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH.`,
  )
}
