// One transport on its own (what it adds beside the core): your own refresh function.
import { customTransport } from '../../src/transports/index'

export const transport = customTransport({
  refresh: async () => ({ accessToken: 'a', expiresIn: 3600 }),
})
