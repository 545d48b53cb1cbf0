// One transport on its own (what it adds beside the core): GetTokensFromRefreshToken, the default.
import { cognitoTransport } from '../../src/transports/index'

export const transport = cognitoTransport({ region: 'us-east-1', clientId: 'example' })
