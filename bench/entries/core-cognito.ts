// What an app ships to keep Cognito tokens fresh with the core alone: the client and the default
// GetTokensFromRefreshToken transport, used.
import { cognitoTransport, createAuthClient } from '../../src/core/index'

const client = createAuthClient({
  clientId: 'example',
  transport: cognitoTransport({ region: 'us-east-1', clientId: 'example' }),
})
client.mount()
export const token = () => client.getAccessToken()
