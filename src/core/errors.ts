/**
 * One error class for everything the library rejects with. `code` says what happened, `kind` says
 * what the client does about it. Messages and `toJSON()` never carry token material: server text
 * is passed through `redact()` before it is stored.
 */

/** The error types of Cognito's GetTokensFromRefreshToken and InitiateAuth, by their `__type`. */
export const cognitoErrorCodes = [
  'ForbiddenException',
  'InternalErrorException',
  'InvalidLambdaResponseException',
  'InvalidParameterException',
  'NotAuthorizedException',
  'RefreshTokenReuseException',
  'ResourceNotFoundException',
  'TooManyRequestsException',
  'UnexpectedLambdaException',
  'UserLambdaValidationException',
  'UserNotFoundException',
  'OperationNotEnabledException',
  // InitiateAuth only
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
  'InvalidUserPoolConfigurationException',
  'UnsupportedOperationException',
] as const

export type CognitoErrorCode = (typeof cognitoErrorCodes)[number]

export type AuthErrorCode =
  | CognitoErrorCode
  /** An error type we do not know; `serviceCode` holds the server's name for it. */
  | 'UnknownServiceError'
  /** fetch rejected: offline, DNS, CORS, connection reset. */
  | 'NetworkError'
  /** The request took longer than the transport's timeout. */
  | 'TimeoutError'
  /** The caller aborted through its AbortSignal. */
  | 'AbortError'
  /** A 5xx (or other non-Cognito) status whose body was not a Cognito error, e.g. a proxy's HTML page. */
  | 'HttpError'
  /** A 2xx reply we cannot use: not JSON, truncated, missing fields, tokens that are not JWTs. */
  | 'InvalidResponse'
  /** OAuth token endpoint answers (`/oauth2/token`). */
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_request'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  /** No session: never signed in, or signed out. */
  | 'NoSession'
  /** The session ended while the caller waited. */
  | 'SignedOut'
  /** Wrong options or a transport that cannot serve this client (e.g. rotation on REFRESH_TOKEN_AUTH). */
  | 'ConfigurationError'
  /** `setSession()` got an AuthenticationResult it cannot use. */
  | 'InvalidSession'
  /** The client was disposed. */
  | 'Disposed'

/**
 * What the client does with a failed refresh.
 * - `terminal`: the refresh token is dead; the session ends.
 * - `reuse`: the refresh token was rotated away; re-read shared state for a newer one, then end.
 * - `retryable`: keep the session and the still-valid access token, retry with backoff.
 * - `fatal`: a configuration or parameter problem; keep the session, surface the error, do not loop.
 */
export type AuthErrorKind = 'terminal' | 'reuse' | 'retryable' | 'fatal'

const terminalCodes: ReadonlySet<AuthErrorCode> = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
  'invalid_grant',
  'NoSession',
  'SignedOut',
])

const retryableCodes: ReadonlySet<AuthErrorCode> = new Set([
  'InternalErrorException',
  'TooManyRequestsException',
  'NetworkError',
  'TimeoutError',
  'HttpError',
  'InvalidResponse',
])

/** The default classification of a code; a transport may pass a different `kind`. */
export function classify(code: AuthErrorCode, status?: number): AuthErrorKind {
  if (code === 'RefreshTokenReuseException') return 'reuse'
  if (terminalCodes.has(code)) return 'terminal'
  if (retryableCodes.has(code)) return 'retryable'
  // An unknown Cognito error type on a 5xx is a server fault; on a 4xx it is not worth looping on.
  if (code === 'UnknownServiceError' && status !== undefined && status >= 500) return 'retryable'
  return 'fatal'
}

export interface AuthErrorOptions {
  kind?: AuthErrorKind
  status?: number
  requestId?: string
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number
  /** The server's own name for an unknown error type. */
  serviceCode?: string
  cause?: unknown
}

export class AuthError extends Error {
  override readonly name = 'AuthError'
  // Set by the constructor, in this order; `declare` spares the compiled class an empty field each.
  declare readonly code: AuthErrorCode
  declare readonly kind: AuthErrorKind
  declare readonly status: number | undefined
  declare readonly requestId: string | undefined
  declare readonly retryAfterMs: number | undefined
  declare readonly serviceCode: string | undefined

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.kind = options.kind ?? classify(code, options.status)
    this.status = options.status
    this.requestId = options.requestId
    this.retryAfterMs = options.retryAfterMs
    this.serviceCode = options.serviceCode === undefined ? undefined : redact(options.serviceCode)
  }

  /** Safe to log or send to an error tracker: no token material, no cause chain. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      kind: this.kind,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      serviceCode: this.serviceCode,
    }
  }
}

export function isAuthError(value: unknown): value is AuthError {
  return value instanceof AuthError
}

/** Any rejection as an AuthError: a transport bug or a fetch failure becomes a retryable one. */
export function toAuthError(error: unknown): AuthError {
  if (isAuthError(error)) return error
  // Never copy an unknown error's message: it may quote a reply body. Keep it as the cause.
  return new AuthError('NetworkError', 'The refresh failed before a reply arrived.', {
    cause: error,
  })
}

// JWTs and JWEs (dot-separated base64url) and long base64 runs are token material, or look enough
// like it. Host names (`cognito-idp.us-east-1.amazonaws.com`) and 26-character client ids survive.
const tokenLike =
  /[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_=-]{10,})+(?:\.[A-Za-z0-9_=-]*)*|[A-Za-z0-9+/_=-]{32,}/g
const maxMessageLength = 300

/** Removes anything token-shaped from text that came from outside, and bounds its length. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let clean = text
  for (const secret of secrets)
    if (secret.length > 0) clean = clean.split(secret).join('[redacted]')
  clean = clean.replace(tokenLike, '[redacted]')
  return clean.length > maxMessageLength ? `${clean.slice(0, maxMessageLength)}…` : clean
}
