/**
 * `InitiateAuth` with `REFRESH_TOKEN_AUTH`: the refresh flow amazon-cognito-identity-js and older
 * Amplify used. It cannot serve a client with refresh-token rotation (Cognito refuses the flow
 * there), and a confidential client needs a SECRET_HASH keyed on the user's Cognito username.
 * Prefer `cognitoTransport` (GetTokensFromRefreshToken) unless the pool predates it.
 */
import { AuthError, isAuthError } from '../errors'
import type { AuthenticationResult } from '../tokens'
import { warnOnce } from '../warn'
import { callCognito, type CognitoEndpointOptions, isUnknownOperation } from './awsJson'
import { cognitoTransport } from './cognito'
import { authenticationResultOf } from './awsJson'
import { secretHash } from './secretHash'
import { explainSecretRefusal, isSecretRefusal, secretsFor, warnAboutSecret } from './secrets'
import type { RefreshRequest, Transport, TransportCallOptions } from './types'

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
 * Texts that name rotation or a disabled flow (a rotating client must omit
 * ALLOW_REFRESH_TOKEN_AUTH). Only a hint: Cognito's real refusal text is undocumented, so a
 * NotAuthorizedException is settled by asking GetTokensFromRefreshToken (see `refresh` below).
 */
const rotationRefusal =
  /rotat|GetTokensFromRefreshToken|flow (is )?not (enabled|allowed|supported)/i

const secretAdvice =
  "Check clientSecret, and that the username is the user's Cognito username " +
  '(cognito:username), not an email alias. cognitoTransport takes the secret raw and needs no username.'

/**
 * Turns the server's refusals that are about our configuration, not the token, into a fatal
 * ConfigurationError: a NotAuthorizedException here would otherwise end the user's session.
 */
export function explainRefreshTokenAuthError(error: unknown): unknown {
  if (!isAuthError(error) || error.kind === 'retryable' || error.code === 'ConfigurationError') {
    return error
  }
  const secret = explainSecretRefusal(error, `SECRET_HASH not accepted. ${secretAdvice}`)
  if (secret !== error || !rotationRefusal.test(error.message)) return secret
  return new AuthError(
    'ConfigurationError',
    `Cognito refused REFRESH_TOKEN_AUTH for this app client (${error.code}); a client with ` +
      `refresh-token rotation cannot use it. ${useCognitoTransport}`,
    {
      kind: 'fatal',
      ...(error.status !== undefined && { status: error.status }),
      ...(error.requestId !== undefined && { requestId: error.requestId }),
      cause: error,
    },
  )
}

/**
 * Whether Cognito refused the flow itself (NotAuthorized, or a text naming rotation or a disabled
 * flow), so GetTokensFromRefreshToken may succeed: not for a refused secret, nor our own checks.
 */
function refusedTheFlow(error: unknown): error is AuthError {
  if (!isAuthError(error) || error.kind === 'retryable' || isSecretRefusal(error)) return false
  if (error.code === 'ConfigurationError') return false
  return error.code === 'NotAuthorizedException' || rotationRefusal.test(error.message)
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
  async function refreshTokenAuth(request: RefreshRequest, call: TransportCallOptions) {
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
    const json = await callCognito('InitiateAuth', body, {
      ...options,
      signal: call.signal,
      clock: call.clock,
      secrets: secretsOf(request.refreshToken),
    })
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
  }

  // The same client's GetTokensFromRefreshToken, which a rotating client answers.
  const getTokens = cognitoTransport(options)
  let rotating = false

  /**
   * REFRESH_TOKEN_AUTH was refused. On a rotating client Cognito refuses the flow with a text we
   * cannot know in advance, and ending the session over it would sign users out of a working
   * client. One GetTokensFromRefreshToken with the same token settles it: it succeeds where
   * rotation is on, and says NotAuthorized again where the token really is dead.
   */
  async function settle(
    request: RefreshRequest,
    call: TransportCallOptions,
    refused: AuthError,
  ): Promise<AuthenticationResult> {
    let result: AuthenticationResult
    try {
      result = await getTokens.refresh(request, call)
    } catch (error) {
      // An endpoint without the operation (cognito-local, moto) has no rotation: the first answer stands.
      if (isAuthError(error) && isUnknownOperation(error.cause)) throw refused
      throw error
    }
    rotating = true // every later refresh of this transport goes there directly
    warnOnce(
      'initiate-auth-settled',
      'Cognito refused InitiateAuth REFRESH_TOKEN_AUTH for this app client and accepted the same ' +
        `refresh token with GetTokensFromRefreshToken: the client rotates refresh tokens. ${useCognitoTransport}`,
    )
    return result
  }

  return {
    name: 'InitiateAuth REFRESH_TOKEN_AUTH',
    async refresh(request, call) {
      if (rotating) return getTokens.refresh(request, call)
      try {
        return await refreshTokenAuth(request, call)
      } catch (error) {
        const explained = explainRefreshTokenAuthError(error)
        if (!refusedTheFlow(error)) throw explained
        return settle(request, call, explained as AuthError)
      }
    },
    async revoke({ refreshToken }, { signal, clock }) {
      const body: Record<string, unknown> = { Token: refreshToken, ClientId: clientId }
      if (clientSecret !== undefined) body.ClientSecret = clientSecret
      await callCognito('RevokeToken', body, {
        ...options,
        signal,
        clock,
        secrets: secretsOf(refreshToken),
      })
    },
  }
}
