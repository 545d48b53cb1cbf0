import type { Clock } from '../platform/clock'
import type { AuthenticationResult } from '../tokens'

/** What the client hands a transport for one refresh. */
export interface RefreshRequest {
  refreshToken: string
  /** The device key Cognito issued for this device, when device tracking is on. */
  deviceKey?: string
  /** The user's Cognito username (`cognito:username`), for transports that need a SECRET_HASH. */
  username?: string
  clientMetadata?: Record<string, string>
}

export interface TransportCallOptions {
  signal: AbortSignal
  /**
   * The client's clock: the call's timeout and a Retry-After date are measured on it. The client
   * always passes it; a transport called directly falls back to the system clock.
   */
  clock?: Clock | undefined
}

/**
 * One way of exchanging a refresh token for new tokens. `refresh` resolves to a Cognito-shaped
 * AuthenticationResult (the client validates it) or rejects with an `AuthError` whose `kind` says
 * whether the failure ends the session, is retried, or is a rotated-away refresh token.
 */
export interface Transport {
  readonly name: string
  refresh(request: RefreshRequest, options: TransportCallOptions): Promise<AuthenticationResult>
  /** Revokes the refresh token on sign-out, where the server supports it. */
  revoke?(request: { refreshToken: string }, options: TransportCallOptions): Promise<void>
}
