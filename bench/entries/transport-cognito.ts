// One transport on its own (what it adds beside the core): GetTokensFromRefreshToken, the default.
import { cognitoTransport } from '../../src/core/index'

export const transport = cognitoTransport({ region: 'us-east-1', clientId: 'example' })
