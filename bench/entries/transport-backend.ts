// One transport on its own (what it adds beside the core): refresh through your backend.
import { backendTransport } from '../../src/transports/index'

export const transport = backendTransport({ url: '/auth/refresh' })
