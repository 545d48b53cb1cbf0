/**
 * The default transport: Cognito's `GetTokensFromRefreshToken`. Works with refresh-token rotation
 * (the reply then carries a new RefreshToken) and without it; takes the client secret raw, so no
 * SECRET_HASH and no username are needed.
 */
import { authenticationResultOf, callCognito, type CognitoEndpointOptions } from './awsJson'
import type { Transport, TransportCallOptions } from './types'
import { explainSecretRefusal, secretsFor, warnAboutSecret } from './secrets'

export interface CognitoTransportOptions extends CognitoEndpointOptions {
  clientId: string
  /**
   * The app client's secret, for confidential clients. Anything shipped to a browser is public:
   * use a public app client there (a development warning says so).
   */
  clientSecret?: string
}

export function cognitoTransport(options: CognitoTransportOptions): Transport {
  const { clientId, clientSecret } = options
  warnAboutSecret(clientSecret)
  const advice =
    clientSecret === undefined
      ? 'The app client has a secret and none was configured' +
        // What to do about it is for the developer; a production bundle drops these bytes.
        (typeof process === 'object' && process.env.NODE_ENV !== 'production'
          ? ': pass `clientSecret` (server side only), or use an app client without a secret.'
          : '.')
      : 'Check `clientSecret`: it is not the secret of this app client.'
  // Members that are undefined are left out of the JSON body.
  const send = async (
    operation: string,
    token: string,
    body: Record<string, unknown>,
    { signal, clock }: TransportCallOptions,
  ) => {
    try {
      return await callCognito(operation, body, {
        ...options,
        signal,
        clock,
        secrets: secretsFor(token, clientSecret),
      })
    } catch (error) {
      throw explainSecretRefusal(error, advice)
    }
  }
  return {
    name: 'GetTokensFromRefreshToken',
    async refresh({ refreshToken, deviceKey, clientMetadata }, call) {
      const body = {
        RefreshToken: refreshToken,
        ClientId: clientId,
        ClientSecret: clientSecret,
        DeviceKey: deviceKey,
        ClientMetadata: clientMetadata,
      }
      return authenticationResultOf(
        await send('GetTokensFromRefreshToken', refreshToken, body, call),
      )
    },
    async revoke({ refreshToken }, call) {
      const body = { Token: refreshToken, ClientId: clientId, ClientSecret: clientSecret }
      await send('RevokeToken', refreshToken, body, call)
    },
  }
}
