/**
 * The awsJson1_1 protocol of the Cognito user-pool API: POST / with `x-amz-target`, JSON both
 * ways, errors named by body `__type` (or `code`), else by the `x-amzn-ErrorType` header, decoded
 * the way the AWS SDK v3 does. No SigV4: the refresh operations are unauthenticated.
 */
import type { AuthenticationResult } from '../tokens'
import { clockOf, type HttpOptions, type HttpReply, parseRetryAfter, send, userAgent } from './http'
import type { TransportCallOptions } from './types'
import {
  AuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  cognitoErrorCodes,
  redact,
} from '../errors'

export interface CognitoEndpointOptions extends HttpOptions {
  /** The user pool's region, e.g. `us-east-1`. Needed unless `endpoint` is given. */
  region?: string
  /** Overrides `https://cognito-idp.{region}.amazonaws.com/`, e.g. the local emulator's URL. */
  endpoint?: string
}

export function cognitoEndpoint(options: CognitoEndpointOptions): string {
  if (options.endpoint !== undefined) return options.endpoint
  if (options.region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region)) {
    throw new AuthError(
      'ConfigurationError',
      'Pass a `region` such as us-east-1, or an `endpoint`.',
    )
  }
  return `https://cognito-idp.${options.region}.amazonaws.com/`
}

const known: readonly string[] = cognitoErrorCodes

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** `com.amazonaws…#RefreshTokenReuseException` and `TooManyRequestsException:http://…` → the name. */
export function sanitizeErrorCode(raw: string): string {
  // Error type names are short; a reply that sends megabytes here gets its first 256 characters.
  return (raw.slice(0, 256).split(/[,:]/)[0] ?? '').split('#').pop()?.trim() ?? ''
}

/** A member of a parsed JSON object by its lower-case name, whatever its case in the reply. */
function field(body: unknown, ...names: string[]): unknown {
  if (typeof body === 'object' && body !== null) {
    for (const name of names) {
      for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === name) return value
    }
  }
  return undefined
}

/** What every error from a reply carries: its status and, when present, its request id. */
function replyDetails({ status, requestId }: HttpReply): AuthErrorOptions {
  return requestId === undefined ? { status } : { status, requestId }
}

/** Turns a non-2xx reply into an AuthError. */
export function decodeCognitoError(
  reply: HttpReply,
  now: number,
  secrets: readonly string[],
): AuthError {
  const { status, headers } = reply
  const body = parseJson(reply.text)
  const rawCode = field(body, '__type', 'code') ?? headers.get('x-amzn-errortype')
  const code = typeof rawCode === 'string' ? sanitizeErrorCode(rawCode) : ''
  const rawMessage = field(body, 'message') ?? headers.get('x-amzn-errormessage')
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now)
  const details = {
    ...replyDetails(reply),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  }
  if (code === '') {
    // No Cognito error in the reply: a proxy's or load balancer's page. Never a verdict on the token.
    const kind = status >= 500 || status === 429 || status === 408 ? 'retryable' : 'fatal'
    const what = body === undefined ? 'a body that is not JSON' : 'no error type'
    return new AuthError('HttpError', `HTTP ${status} with ${what}.`, { ...details, kind })
  }
  const message = `${code}: ${typeof rawMessage === 'string' ? redact(rawMessage, secrets) : 'no message'}`
  return known.includes(code)
    ? new AuthError(code as AuthErrorCode, message, { ...details, secrets })
    : new AuthError('UnknownServiceError', message, { ...details, serviceCode: code, secrets })
}

/**
 * Error types that say the endpoint does not serve the operation at all: an emulator, a proxy or
 * a region without it (cognito-local answers an unknown target with a 500 `Unsupported`). Retrying
 * cannot help, and the session is not at fault.
 */
const unknownOperationCodes: ReadonlySet<string> = new Set([
  'UnknownOperationException',
  'Unsupported',
])

export function isUnknownOperation(error: unknown): error is AuthError {
  return (
    error instanceof AuthError &&
    error.code === 'UnknownServiceError' &&
    error.serviceCode !== undefined &&
    unknownOperationCodes.has(error.serviceCode)
  )
}

export interface CallOptions extends CognitoEndpointOptions, TransportCallOptions {
  secrets: readonly string[]
}

/** One awsJson1_1 call. Resolves to the parsed JSON object of a 2xx reply. */
export async function callCognito(
  operation: string,
  body: Record<string, unknown>,
  options: CallOptions,
): Promise<Record<string, unknown>> {
  const reply = await send({
    ...options,
    url: cognitoEndpoint(options),
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        'x-amz-user-agent': userAgent,
      },
      body: JSON.stringify(body),
    },
  })
  if (reply.status < 200 || reply.status >= 300) {
    const error = decodeCognitoError(reply, clockOf(options).now(), options.secrets)
    if (!isUnknownOperation(error)) throw error
    throw new AuthError(
      'ConfigurationError',
      `The endpoint does not offer ${operation} (${error.serviceCode}).` +
        // Advice for the developer; a production bundle keeps the fact and drops these bytes.
        (typeof process === 'object' && process.env.NODE_ENV !== 'production'
          ? ' Point the transport at Cognito or an emulator that implements it, or pick the transport the endpoint serves.'
          : ''),
      { ...replyDetails(reply), kind: 'fatal', cause: error },
    )
  }
  const json = parseJson(reply.text)
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AuthError(
      'InvalidResponse',
      `HTTP ${reply.status} with a body that is not a JSON object.`,
      replyDetails(reply),
    )
  }
  return json as Record<string, unknown>
}

export function authenticationResultOf(json: Record<string, unknown>): AuthenticationResult {
  const result = json.AuthenticationResult
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new AuthError('InvalidResponse', 'The reply has no AuthenticationResult object.')
  }
  // Shape and JWT checks happen in createTokenSet, once for every transport.
  return result as AuthenticationResult
}
