// The `react-cognito-refresh/transports` entry: every way of exchanging a refresh token. The
// default, cognitoTransport, is also at the root.
export { cognitoTransport } from '../core/transports/cognito'
export type { CognitoTransportOptions } from '../core/transports/cognito'
export type { CognitoEndpointOptions } from '../core/transports/awsJson'
export type { HttpOptions } from '../core/transports/http'
export type { Transport, RefreshRequest, TransportCallOptions } from '../core/transports/types'
export { initiateAuthTransport } from '../core/transports/initiateAuth'
export type { InitiateAuthTransportOptions } from '../core/transports/initiateAuth'
export { secretHash } from '../core/transports/secretHash'
export { oauth2Transport } from '../core/transports/oauth2'
export type { OAuth2TransportOptions } from '../core/transports/oauth2'
export { customTransport, toAuthenticationResult } from '../core/transports/custom'
export type {
  CustomTransportOptions,
  CustomRefreshRequest,
  RefreshResult,
} from '../core/transports/custom'
export { backendTransport, backendSession, cookieRefreshToken } from '../core/transports/backend'
export type { BackendTransportOptions } from '../core/transports/backend'
