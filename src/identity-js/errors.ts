/**
 * amazon-cognito-identity-js reports failures as plain Errors with `code` and `name` set to the
 * Cognito error type (`NotAuthorizedException`), or `code: 'NetworkError'` when fetch failed.
 */
import { AuthError, cognitoErrorCodes, type CognitoErrorCode, redact } from '../core/errors'
import { explainRefreshTokenAuthError } from '../core/transports/initiateAuth'

const known: ReadonlySet<string> = new Set(cognitoErrorCodes)

/** Maps an amazon-cognito-identity-js callback error to an AuthError. */
export function authErrorOfIdentityJs(error: unknown, secrets: readonly string[] = []): AuthError {
  if (error instanceof AuthError) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : undefined
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined
  const message = typeof e.message === 'string' ? redact(e.message, secrets) : ''
  const common = { ...(status !== undefined && { status }), cause: error, secrets }
  if (code !== undefined && known.has(code)) {
    const mapped = new AuthError(code as CognitoErrorCode, `${code}: ${message}`, common)
    return explainRefreshTokenAuthError(mapped) as AuthError
  }
  if (code === undefined || code === 'NetworkError' || code === 'Error' || code === 'TypeError') {
    // No Cognito error type: the request never got an answer we can judge the token by.
    return new AuthError('NetworkError', 'The request failed before a reply arrived.', common)
  }
  return new AuthError('UnknownServiceError', `${code}: ${message}`, {
    ...common,
    serviceCode: code,
  })
}
