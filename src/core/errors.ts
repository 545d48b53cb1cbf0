/**
 * One error class for everything the library rejects with. `code` says what happened, `kind` says
 * what the client does about it. Messages and `toJSON()` never carry token material: server text
 * is passed through `redact()` before it is stored.
 */
import type { SignInErrorCode } from './signInErrors'

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
  /** Managed login's and headless sign-in's (`./signInErrors`). */
  | SignInErrorCode

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
  /**
   * What led to this error. Kept only in a sanitized copy (`sanitizeCause`): name, code, redacted
   * message and stack frames, never the original object, which may hold a request body.
   */
  cause?: unknown
  /** Exact strings (the refresh token, the client secret) to scrub from the message and cause. */
  secrets?: readonly string[]
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
    const { cause, secrets = [] } = options
    super(
      redact(message, secrets),
      cause === undefined ? undefined : { cause: sanitizeCause(cause, secrets) },
    )
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
export function toAuthError(error: unknown, secrets: readonly string[] = []): AuthError {
  if (isAuthError(error)) return error
  // Never copy an unknown error's message: it may quote a reply body. The cause keeps a redacted copy.
  return new AuthError('NetworkError', 'The refresh failed before a reply arrived.', {
    cause: error,
    secrets,
  })
}

// JWTs and JWEs (dot-separated base64url) and long base64 runs are token material, or look enough
// like it; a long run takes the dotted parts after it along, however short (a JWE's IV). Host
// names (`cognito-idp.us-east-1.amazonaws.com`) and 26-character client ids survive.
const tokenLike =
  /[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_=-]{10,})+(?:\.[A-Za-z0-9_=-]*)*|[A-Za-z0-9+/_=-]{32,}(?:\.[A-Za-z0-9_=-]*)*/g
const maxMessageLength = 300
/**
 * Only this much of a text is scanned: on a few MB of token characters the pattern above overflows
 * V8's regexp stack, and a throw here would make a NotAuthorizedException a retryable one.
 */
export const maxRedactedInput = 4096

/** Removes anything token-shaped from text that came from outside, and bounds its length. */
export function redact(text: string, secrets: readonly string[] = []): string {
  try {
    let clean = String(text)
    // The last word at the cut may be the start of a token or secret too short to be recognised.
    if (clean.length > maxRedactedInput)
      clean = `${clean.slice(0, maxRedactedInput).replace(/\S*$/, '')}…`
    for (const secret of secrets)
      if (secret.length > 0) clean = clean.split(secret).join('[redacted]')
    clean = clean.replace(tokenLike, '[redacted]')
    return clean.length > maxMessageLength ? `${clean.slice(0, maxMessageLength)}…` : clean
  } catch {
    return '[message removed]'
  }
}

/** A redacted copy of a foreign error, as `AuthError.cause` holds it. */
class SanitizedCause extends Error {}

const maxCauseDepth = 3
const maxFrames = 10

function hide(target: object, key: string, value: unknown, enumerable = false) {
  Object.defineProperty(target, key, { value, enumerable, configurable: true, writable: true })
}

/**
 * What an error keeps of a foreign cause: its name, its `code` (ECONNRESET), its message redacted,
 * the `at …` frames of its stack and, to a bounded depth, its own cause. Nothing else: an HTTP
 * library's error carries the request (its body holds the refresh token) and the response.
 */
export function sanitizeCause(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (value instanceof AuthError) return value // sanitized when it was built
  if (depth >= maxCauseDepth) return undefined
  try {
    const e = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
    const errorLike = value instanceof Error || typeof e.message === 'string'
    const type = errorLike ? e.name : (e.constructor as { name?: unknown } | undefined)?.name
    const name = typeof type === 'string' && /^\w{1,64}$/.test(type) ? type : 'Error'
    const message =
      typeof value === 'string'
        ? redact(value, secrets)
        : errorLike
          ? redact(String(e.message), secrets)
          : `A ${typeof value === 'object' && value !== null ? name : typeof value} was thrown.`
    const next = errorLike ? sanitizeCause(e.cause, secrets, depth + 1) : undefined
    const copy = new SanitizedCause(message, next === undefined ? undefined : { cause: next })
    hide(copy, 'name', errorLike ? name : 'Error')
    if (typeof e.code === 'string' && /^[\w.-]{1,64}$/.test(e.code))
      hide(copy, 'code', e.code, true)
    const frames =
      typeof e.stack === 'string'
        ? e.stack
            .slice(0, 16_384)
            .split('\n')
            .filter((line) => /^\s+at /.test(line))
            .slice(0, maxFrames)
            .map((line) => redact(line, secrets))
        : []
    hide(copy, 'stack', [`${copy.name}: ${message}`, ...frames].join('\n'))
    return copy
  } catch {
    return new SanitizedCause('[cause removed]')
  }
}
