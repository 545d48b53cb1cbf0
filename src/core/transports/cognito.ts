/**
 * The default transport: Cognito's `GetTokensFromRefreshToken`. Works with refresh-token rotation
 * (the reply then carries a new RefreshToken) and without it; takes the client secret raw, so no
 * SECRET_HASH and no username are needed.
 */
import { AuthError } from '../errors'
import type { AuthenticationResult } from '../tokens'
import { callCognito, type CognitoEndpointOptions } from './awsJson'
import type { Transport } from './types'
import { secretsFor, warnAboutSecret } from './secrets'

export interface CognitoTransportOptions extends CognitoEndpointOptions {
  clientId: string
  /**
   * The app client's secret, for confidential clients. Anything shipped to a browser is public:
   * use a public app client there (a development warning says so).
   */
  clientSecret?: string
}

export function authenticationResultOf(json: Record<string, unknown>): AuthenticationResult {
  const result = json.AuthenticationResult
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new AuthError('InvalidResponse', 'The reply has no AuthenticationResult object.')
  }
  // Shape and JWT checks happen in createTokenSet, once for every transport.
  return result as AuthenticationResult
}

export function cognitoTransport(options: CognitoTransportOptions): Transport {
  const { clientId, clientSecret } = options
  warnAboutSecret(clientSecret)
  const secretsOf = (token: string) => secretsFor(token, clientSecret)
  return {
    name: 'GetTokensFromRefreshToken',
    async refresh(request, { signal }) {
      const body: Record<string, unknown> = {
        RefreshToken: request.refreshToken,
        ClientId: clientId,
      }
      if (clientSecret !== undefined) body.ClientSecret = clientSecret
      if (request.deviceKey !== undefined) body.DeviceKey = request.deviceKey
      if (request.clientMetadata !== undefined) body.ClientMetadata = request.clientMetadata
      const json = await callCognito('GetTokensFromRefreshToken', body, {
        ...options,
        signal,
        secrets: secretsOf(request.refreshToken),
      })
      return authenticationResultOf(json)
    },
    async revoke({ refreshToken }, { signal }) {
      const body: Record<string, unknown> = { Token: refreshToken, ClientId: clientId }
      if (clientSecret !== undefined) body.ClientSecret = clientSecret
      await callCognito('RevokeToken', body, {
        ...options,
        signal,
        secrets: secretsOf(refreshToken),
      })
    },
  }
}
