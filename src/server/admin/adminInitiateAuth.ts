/**
 * `AdminInitiateAuth` with `REFRESH_TOKEN_AUTH`, for Node backends that hold IAM credentials: the
 * AWS SDK's own client signs (SigV4) and sends, so credentials, regions, retries and endpoints are
 * configured the way the rest of the backend's AWS calls are. Like InitiateAuth's refresh flow, it
 * never rotates, and a client with refresh-token rotation refuses it: use `cognitoTransport` there.
 */
import {
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider'
import { AuthError } from '../../core/errors'
import { clockOf } from '../../core/transports/http'
import { decodeCognitoError } from '../../core/transports/awsJson'
import { explainRefreshTokenAuthError } from '../../core/transports/initiateAuth'
import { secretHash } from '../../core/transports/secretHash'
import { secretsFor } from '../../core/transports/secrets'
import type { RefreshRequest, Transport, TransportCallOptions } from '../../core/transports/types'
import type { AuthenticationResult } from '../../core/tokens'

export interface AdminInitiateAuthTransportOptions {
  /** Your SDK client: its region, credentials (an IAM principal allowed `cognito-idp:AdminInitiateAuth`) and endpoint. */
  client: CognitoIdentityProviderClient
  userPoolId: string
  clientId: string
  /** The app client's secret, for confidential clients: each refresh then sends a SECRET_HASH. */
  clientSecret?: string
  /**
   * The Cognito username the SECRET_HASH is keyed on. Only needed with `clientSecret`.
   * @default `request.username` (the session's `cognito:username`)
   */
  username?: string | ((request: RefreshRequest) => string | undefined)
}

interface SdkError {
  name?: unknown
  message?: unknown
  $metadata?: { httpStatusCode?: number; requestId?: string }
}

/** An SDK exception as the same typed error a raw HTTP reply would give. */
function toTransportError(error: unknown, now: number, secrets: readonly string[]): AuthError {
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError
  const status = sdk.$metadata?.httpStatusCode
  if (status === undefined || typeof sdk.name !== 'string') {
    // No reply: the SDK's network errors and timeouts.
    return new AuthError('NetworkError', 'The request failed before a reply arrived.', {
      cause: error,
      secrets,
    })
  }
  return decodeCognitoError(
    {
      status,
      headers: new Headers(),
      text: JSON.stringify({ __type: sdk.name, message: sdk.message }),
      requestId: sdk.$metadata?.requestId,
    },
    now,
    secrets,
  )
}

export function adminInitiateAuthTransport(options: AdminInitiateAuthTransportOptions): Transport {
  const { client, userPoolId, clientId, clientSecret } = options
  async function refresh(
    request: RefreshRequest,
    call: TransportCallOptions,
  ): Promise<AuthenticationResult> {
    const parameters: Record<string, string> = { REFRESH_TOKEN: request.refreshToken }
    if (clientSecret !== undefined) {
      const username =
        typeof options.username === 'function'
          ? options.username(request)
          : (options.username ?? request.username)
      if (username === undefined || username === '') {
        throw new AuthError(
          'ConfigurationError',
          "A client secret needs the user's Cognito username for SECRET_HASH: pass `username`.",
          { kind: 'fatal' },
        )
      }
      parameters.SECRET_HASH = await secretHash(clientSecret, username, clientId)
    }
    if (request.deviceKey !== undefined) parameters.DEVICE_KEY = request.deviceKey
    const secrets = secretsFor(request.refreshToken, clientSecret)
    let reply
    try {
      reply = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: userPoolId,
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: parameters,
          ...(request.clientMetadata !== undefined && { ClientMetadata: request.clientMetadata }),
        }),
        { abortSignal: call.signal },
      )
    } catch (error) {
      throw explainRefreshTokenAuthError(toTransportError(error, clockOf(call).now(), secrets))
    }
    const result = reply.AuthenticationResult
    if (result === undefined) {
      throw new AuthError('InvalidResponse', 'The reply has no AuthenticationResult object.')
    }
    // Shape and JWT checks happen in createTokenSet, once for every transport.
    return result as AuthenticationResult
  }
  return { name: 'adminInitiateAuth', refresh }
}
