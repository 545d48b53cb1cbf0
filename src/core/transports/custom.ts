/**
 * A transport from two functions, for refreshes that go through your own code: a backend, a
 * native bridge, a test double. You return plain fields; the core validates them like any reply.
 */
import { AuthError, isAuthError } from '../errors'
import type { AuthenticationResult } from '../tokens'
import type { RefreshRequest, Transport } from './types'

/** What a refresh function returns. */
export interface RefreshResult {
  accessToken: string
  /** Seconds the access token is valid from now (Cognito's `ExpiresIn`). */
  expiresIn: number
  idToken?: string
  /** A new refresh token when the server rotated it; omit to keep the current one. */
  refreshToken?: string
  deviceKey?: string
  deviceGroupKey?: string
}

export interface CustomRefreshRequest extends RefreshRequest {
  /** Aborted when the client gives up on the call (sign-out, dispose). Pass it to fetch. */
  signal: AbortSignal
}

export interface CustomTransportOptions {
  /** Shown in errors and devtools. @default 'custom' */
  name?: string
  /**
   * Exchanges the refresh token for new tokens. Reject with an `AuthError` to choose what happens:
   * `new AuthError('NotAuthorizedException', …)` ends the session, `'TooManyRequestsException'` or
   * `'NetworkError'` retries with backoff. Any other rejection is treated as a network failure
   * (retried; the session and a still-valid access token are kept).
   */
  refresh(request: CustomRefreshRequest): Promise<RefreshResult>
  /** Revokes the refresh token on sign-out. @default none (sign-out only clears local state) */
  revoke?(request: { refreshToken: string; signal: AbortSignal }): Promise<void>
}

/** Maps a RefreshResult to the Cognito-shaped AuthenticationResult the client takes. */
export function toAuthenticationResult(result: RefreshResult): AuthenticationResult {
  if (typeof result !== 'object' || result === null) {
    throw new AuthError('InvalidResponse', 'The refresh function returned no object.')
  }
  const mapped: AuthenticationResult = {
    AccessToken: result.accessToken,
    ExpiresIn: result.expiresIn,
    TokenType: 'Bearer',
  }
  if (result.idToken !== undefined) mapped.IdToken = result.idToken
  if (result.refreshToken !== undefined) mapped.RefreshToken = result.refreshToken
  if (result.deviceKey !== undefined) {
    mapped.NewDeviceMetadata = { DeviceKey: result.deviceKey }
    if (result.deviceGroupKey !== undefined)
      mapped.NewDeviceMetadata.DeviceGroupKey = result.deviceGroupKey
  }
  return mapped
}

function wrap(error: unknown, what: string, token: string): AuthError {
  if (isAuthError(error)) return error
  // Never copy a foreign error's message: it may quote a reply body. The cause keeps a redacted
  // copy, without the refresh token even where it is not token-shaped.
  return new AuthError('NetworkError', `The custom ${what} function failed.`, {
    cause: error,
    secrets: [token],
  })
}

export function customTransport(options: CustomTransportOptions): Transport {
  const transport: Transport = {
    name: options.name ?? 'custom',
    async refresh(request, { signal }) {
      let result: RefreshResult
      try {
        result = await options.refresh({ ...request, signal })
      } catch (error) {
        throw wrap(error, 'refresh', request.refreshToken)
      }
      return toAuthenticationResult(result)
    },
  }
  const revoke = options.revoke
  if (revoke !== undefined) {
    transport.revoke = async ({ refreshToken }, { signal }) => {
      try {
        await revoke({ refreshToken, signal })
      } catch (error) {
        throw wrap(error, 'revoke', refreshToken)
      }
    }
  }
  return transport
}
