// One transport on its own (what it adds beside the core): InitiateAuth REFRESH_TOKEN_AUTH.
import { initiateAuthTransport } from '../../src/transports/index'

export const transport = initiateAuthTransport({ region: 'us-east-1', clientId: 'example' })
