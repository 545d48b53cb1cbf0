// @aws-sdk/client-cognito-identity-provider: bare client + GetTokensFromRefreshTokenCommand
import {
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider'

const client = new CognitoIdentityProviderClient({ region: 'us-east-1' })

export async function refresh(refreshToken) {
  const out = await client.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: 'exampleclientid',
      RefreshToken: refreshToken,
    }),
  )
  return out.AuthenticationResult
}
