export { createAuthClient } from './client/authClient'
export type { AuthClient, AuthClientOptions, GetAccessTokenOptions } from './client/options'
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
export type { CognitoEndpointOptions } from './transports/awsJson'
export type { HttpOptions } from './transports/http'
export type { Transport, RefreshRequest, TransportCallOptions } from './transports/types'
export { initiateAuthTransport } from './transports/initiateAuth'
export type { InitiateAuthTransportOptions } from './transports/initiateAuth'
export { secretHash } from './transports/secretHash'
export { oauth2Transport } from './transports/oauth2'
export type { OAuth2TransportOptions } from './transports/oauth2'
export { customTransport, toAuthenticationResult } from './transports/custom'
export type {
  CustomTransportOptions,
  CustomRefreshRequest,
  RefreshResult,
} from './transports/custom'
export { backendTransport, backendSession, cookieRefreshToken } from './transports/backend'
export type { BackendTransportOptions } from './transports/backend'
export { migrateLegacySession } from '../migration/migrateLegacySession'
export type {
  MigrateLegacySessionOptions,
  LegacyMigration,
  LegacyFailureReason,
} from '../migration/migrateLegacySession'
export { adoptLegacySession } from '../migration/adoptLegacySession'
export type { AdoptLegacySessionOptions, AdoptLegacyResult } from '../migration/adoptLegacySession'
export { legacyWriteBack } from '../migration/legacyWriteBack'
export type { LegacyWriteBackOptions } from '../migration/legacyWriteBack'
export { clearLegacySession } from '../migration/clearLegacySession'
export type { ClearLegacySessionOptions } from '../migration/clearLegacySession'
export type { LegacySource, LegacyStorage } from '../migration/legacyKeys'
