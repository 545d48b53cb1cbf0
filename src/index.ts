// The package root: what a React app on Cognito needs, and no more (at most 15 values; see
// test/react/exports.test.ts). The other transports are in `./transports`, the Amplify migration in
// `./migration`, the platform seams and low-level pieces in `./core`.

export {
  createAuthClient,
  cognitoTransport,
  AuthError,
  isAuthError,
  toAuthError,
  createAuthFetch,
} from './core/index'
export type {
  AuthClient,
  AuthClientOptions,
  Environment,
  GetAccessTokenOptions,
  AuthErrorCode,
  AuthErrorKind,
  CognitoErrorCode,
  AuthErrorOptions,
  AuthEvents,
  AuthEventType,
  AuthEventListener,
  SignOutReason,
  AdoptedFrom,
  AuthSnapshot,
  SessionStatus,
  RefreshActivity,
  AuthenticationResult,
  TokenSet,
  AccessTokenClaims,
  IdTokenClaims,
  Transport,
  RefreshRequest,
  TransportCallOptions,
  CognitoTransportOptions,
  AuthFetch,
  AuthFetchOptions,
} from './core/index'

export {
  AuthProvider,
  useAuth,
  useAuthState,
  useTokens,
  useAuthFetch,
  useAuthClient,
  shallowEqual,
} from './react/index'
export type { AuthProviderProps, UseAuthResult, EqualityFn } from './react/index'
