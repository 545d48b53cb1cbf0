// One transport on its own (what it adds beside the core): the /oauth2/token endpoint.
import { oauth2Transport } from '../../src/transports/index'

export const transport = oauth2Transport({ clientId: 'example', domain: 'auth.example.com' })
