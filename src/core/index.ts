// The `react-cognito-refresh/core` entry: the framework-free client and its platform seams. Other
// transports are in `./transports`, the Amplify migration in `./migration`.
export { createAuthClient } from './client/authClient'
export type {
  AuthClient,
  AuthClientOptions,
  Environment,
  GetAccessTokenOptions,
} from './client/options'
export { AuthError, isAuthError, classify, cognitoErrorCodes, toAuthError } from './errors'
export type { AuthErrorCode, AuthErrorKind, CognitoErrorCode, AuthErrorOptions } from './errors'
export type {
  AuthEvents,
  AuthEventType,
  AuthEventListener,
  SignOutReason,
  AdoptedFrom,
} from './events'
export type { AuthSnapshot, SessionStatus, RefreshActivity } from './state'
export { loadingSnapshot } from './state'
export type { AuthenticationResult, TokenSet, AccessTokenClaims, IdTokenClaims } from './tokens'
export { userOf } from './tokens'
export { memoryStorage, localStorageAdapter, sessionStorageAdapter } from './platform/storage'
export type { StorageAdapter } from './platform/storage'
export { systemClock } from './platform/clock'
export type { Clock, TimerHandle } from './platform/clock'
export { webLock, noLock } from './platform/lock'
export type { Lock, LockResult } from './platform/lock'
export { broadcastChannel, noChannel } from './platform/channel'
export type { Channel } from './platform/channel'
export { browserLifecycle, noLifecycle } from './platform/lifecycle'
export type { Lifecycle, WakeReason } from './platform/lifecycle'
export type { BackoffOptions } from './refresh/backoff'
export { cognitoTransport } from './transports/cognito'
export type { CognitoTransportOptions } from './transports/cognito'
export type { Transport, RefreshRequest, TransportCallOptions } from './transports/types'
export { createAuthFetch } from './fetch/authFetch'
export type { AuthFetch, AuthFetchOptions } from './fetch/authFetch'
