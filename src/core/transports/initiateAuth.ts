/**
 * `InitiateAuth` with `REFRESH_TOKEN_AUTH`: the refresh flow amazon-cognito-identity-js and older
 * Amplify used. It cannot serve a client with refresh-token rotation (Cognito refuses the flow
 * there), and a confidential client needs a SECRET_HASH keyed on the user's Cognito username.
 * Prefer `cognitoTransport` (GetTokensFromRefreshToken) unless the pool predates it.
 */
import { AuthError, isAuthError } from '../errors'
import { callCognito, type CognitoEndpointOptions } from './awsJson'
import { authenticationResultOf } from './cognito'
import { secretHash } from './secretHash'
import type { RefreshRequest, Transport } from './types'
import { secretsFor, warnAboutSecret } from './secrets'
import { warnOnce } from '../warn'

export interface InitiateAuthTransportOptions extends CognitoEndpointOptions {
  clientId: string
  /**
   * The app client's secret, for confidential clients: each refresh then sends a SECRET_HASH.
   * Anything shipped to a browser is public; use a public app client there.
   */
  clientSecret?: string
  /**
   * The Cognito username the SECRET_HASH is keyed on. Only needed with `clientSecret`.
   * A string for one fixed user, or a function of the request.
   * @default the `cognito:username` claim of the session's ID token (or `username` of the access
   * token), which the client passes as `request.username`
   */
  username?: string | ((request: RefreshRequest) => string | undefined)
}

const useCognitoTransport =
  'Use cognitoTransport (GetTokensFromRefreshToken), which works with rotation on or off.'

/**
 * Cognito's answer to REFRESH_TOKEN_AUTH on a rotating client is undocumented, so we match the
 * texts that name rotation or a disabled flow (a rotating client must omit ALLOW_REFRESH_TOKEN_AUTH).
 */
const rotationRefusal =
  /rotat|GetTokensFromRefreshToken|flow (is )?not (enabled|allowed|supported)/i
const secretRefusal = /secret ?hash|configured for secret/i

/**
 * Turns the server's refusals that are about our configuration, not the token, into a fatal
 * ConfigurationError: a NotAuthorizedException here would otherwise end the user's session.
 */
export function explainRefreshTokenAuthError(error: unknown): unknown {
  if (!isAuthError(error) || error.kind === 'retryable') return error
  const common = {
    kind: 'fatal' as const,
    ...(error.status !== undefined && { status: error.status }),
    ...(error.requestId !== undefined && { requestId: error.requestId }),
    cause: error,
  }
  if (rotationRefusal.test(error.message)) {
    return new AuthError(
      'ConfigurationError',
      `Cognito refused REFRESH_TOKEN_AUTH for this app client (${error.code}); a client with ` +
        `refresh-token rotation cannot use it. ${useCognitoTransport}`,
      common,
    )
  }
  if (secretRefusal.test(error.message)) {
    return new AuthError(
      'ConfigurationError',
      `Cognito could not verify the SECRET_HASH (${error.code}). Check clientSecret, and that the ` +
        "username is the user's Cognito username (cognito:username), not an email alias. " +
        'cognitoTransport takes the secret raw and needs no username.',
      common,
    )
  }
  return error
}

function usernameFor(
  option: InitiateAuthTransportOptions['username'],
  request: RefreshRequest,
): string | undefined {
  if (typeof option === 'function') return option(request)
  return option ?? request.username
}

export function initiateAuthTransport(options: InitiateAuthTransportOptions): Transport {
  const { clientId, clientSecret } = options
  warnAboutSecret(clientSecret)
  const secretsOf = (token: string) => secretsFor(token, clientSecret)
  return {
    name: 'InitiateAuth REFRESH_TOKEN_AUTH',
    async refresh(request, { signal }) {
      const parameters: Record<string, string> = { REFRESH_TOKEN: request.refreshToken }
      if (clientSecret !== undefined) {
        const username = usernameFor(options.username, request)
        if (username === undefined || username === '') {
          throw new AuthError(
            'ConfigurationError',
            "A client secret needs the user's Cognito username for SECRET_HASH and the session " +
              `has none: pass \`username\`. ${useCognitoTransport}`,
            { kind: 'fatal' },
          )
        }
        parameters.SECRET_HASH = await secretHash(clientSecret, username, clientId)
      }
      if (request.deviceKey !== undefined) parameters.DEVICE_KEY = request.deviceKey
      const body: Record<string, unknown> = {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: parameters,
      }
      if (request.clientMetadata !== undefined) body.ClientMetadata = request.clientMetadata
      let json: Record<string, unknown>
      try {
        json = await callCognito('InitiateAuth', body, {
          ...options,
          signal,
          secrets: secretsOf(request.refreshToken),
        })
      } catch (error) {
        throw explainRefreshTokenAuthError(error)
      }
      const result = authenticationResultOf(json)
      if (result.RefreshToken !== undefined && result.RefreshToken !== request.refreshToken) {
        // REFRESH_TOKEN_AUTH never rotates on Cognito; a new token means something in between does.
        // Keep it (dropping it could lose the session) and say which transport is meant for this.
        warnOnce(
          'initiate-auth-rotation',
          `InitiateAuth returned a new refresh token, which REFRESH_TOKEN_AUTH does not do. It was kept. ${useCognitoTransport}`,
        )
      }
      return result
    },
    async revoke({ refreshToken }, { signal }) {
      const body: Record<string, unknown> = { Token: refreshToken, ClientId: clientId }
      if (clientSecret !== undefined) body.ClientSecret = clientSecret
      await callCognito('RevokeToken', body, {
        ...options,
        signal,
        secrets: secretsOf(refreshToken),
      })
    },
  }
}
