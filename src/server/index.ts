// react-cognito-refresh/server: a backend-for-frontend on Web-standard Request and Response.
export { createAuthHandlers } from './handlers'
export type { AuthHandlers, AuthHandlersOptions } from './handlers'
export type { SessionCookieOptions } from './cookie'
export { nodeHandler } from './node'
export type { NodeHandlerOptions } from './node'
export type { ServerManagedLoginOptions } from './managedLogin'
