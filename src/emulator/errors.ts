/**
 * Cognito service errors as the emulator raises them. Operations throw `ServiceError`; the HTTP
 * layer turns it into the awsJson1_1 error bytes (`__type` body, `x-amzn-ErrorType` header).
 */

/** How HTTP status codes are chosen for client faults. */
export type StatusCodeMode = 'real' | 'model'

/**
 * The Smithy `@httpError` codes of the service model. The real service answers 400 for every
 * client fault instead (captures in the protocol reference §1.3), which is the default.
 */
const modelStatus: Readonly<Record<string, number>> = {
  NotAuthorizedException: 403,
  ForbiddenException: 403,
  ResourceNotFoundException: 404,
  UserNotFoundException: 404,
  TooManyRequestsException: 429,
  UnauthorizedException: 401,
  InternalErrorException: 500,
}

export function statusFor(code: string, mode: StatusCodeMode): number {
  if (code === 'InternalErrorException') return 500
  if (code === 'ForbiddenException') return 403
  if (code === 'RequestEntityTooLargeException') return 413
  return mode === 'model' ? (modelStatus[code] ?? 400) : 400
}

export class ServiceError extends Error {
  readonly code: string
  /** Absent for errors the real service sends without a message (SerializationException). */
  readonly serviceMessage: string | undefined
  /** Seconds for a `Retry-After` header (throttling). */
  readonly retryAfterSeconds: number | undefined
  /** Overrides the status chosen by `statusFor`. */
  readonly status: number | undefined

  constructor(
    code: string,
    message?: string,
    extra: { retryAfterSeconds?: number; status?: number } = {},
  ) {
    super(message === undefined ? code : `${code}: ${message}`)
    this.name = 'ServiceError'
    this.code = code
    this.serviceMessage = message
    this.retryAfterSeconds = extra.retryAfterSeconds
    this.status = extra.status
  }
}

export const notAuthorized = (message: string) =>
  new ServiceError('NotAuthorizedException', message)

export const invalidParameter = (message: string) =>
  new ServiceError('InvalidParameterException', message)

/** The message Cognito gives for a token that is unknown, malformed or from another client. */
export const invalidRefreshToken = 'Invalid Refresh Token.'
export const revokedRefreshToken = 'Refresh Token has been revoked'
export const expiredRefreshToken = 'Refresh Token has expired'

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError
}

/** Describes one of our own failures for the log; never the request, which may hold tokens. */
export function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message.slice(0, 200)}`
    : 'non-Error thrown'
}
