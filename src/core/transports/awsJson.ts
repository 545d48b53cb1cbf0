/**
 * The awsJson1_1 protocol of the Cognito user-pool API: POST / with `x-amz-target`, JSON both
 * ways, errors named by body `__type` (or `code`), else by the `x-amzn-ErrorType` header, decoded
 * the way the AWS SDK v3 does. No SigV4: the refresh operations are unauthenticated.
 */
import { parseRetryAfter } from '../backoff'
import { AuthError, type AuthErrorCode, cognitoErrorCodes, redact } from '../errors'

export interface HttpOptions {
  /** @default globalThis.fetch, looked up at call time */
  fetch?: typeof fetch
  /** Abort a call that takes longer. @default 15000 */
  timeoutMs?: number
}

export interface CognitoEndpointOptions extends HttpOptions {
  /** The user pool's region, e.g. `us-east-1`. Needed unless `endpoint` is given. */
  region?: string
  /** Overrides `https://cognito-idp.{region}.amazonaws.com/`, e.g. the local emulator's URL. */
  endpoint?: string
}

export const defaultTimeoutMs = 15_000
export const userAgent = 'react-cognito-refresh/0.1'

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

export interface SendOptions extends HttpOptions {
  url: string
  init: RequestInit
  signal: AbortSignal
  /** Exact strings to scrub from any error text (the refresh token, the client secret). */
  secrets: readonly string[]
}

export interface HttpReply {
  status: number
  headers: Headers
  text: string
  requestId: string | undefined
}

/** fetch with a timeout and the caller's signal; network failures become typed errors. */
export async function send(options: SendOptions): Promise<HttpReply> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs ?? defaultTimeoutMs)
  const onAbort = () => controller.abort()
  if (options.signal.aborted) controller.abort()
  options.signal.addEventListener('abort', onAbort, { once: true })
  try {
    const doFetch = options.fetch ?? globalThis.fetch
    const response = await doFetch(options.url, { ...options.init, signal: controller.signal })
    const text = await response.text()
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined
    return { status: response.status, headers: response.headers, text, requestId }
  } catch (error) {
    if (timedOut)
      throw new AuthError(
        'TimeoutError',
        `No reply within ${options.timeoutMs ?? defaultTimeoutMs} ms.`,
      )
    if (options.signal.aborted)
      throw new AuthError('AbortError', 'The request was aborted.', { kind: 'retryable' })
    // fetch's own errors ("Failed to fetch", ECONNRESET) carry no request data; keep it as the cause.
    throw new AuthError('NetworkError', 'The request failed before a reply arrived.', {
      cause: error,
    })
  } finally {
    clearTimeout(timer)
    options.signal.removeEventListener('abort', onAbort)
  }
}

const known: ReadonlySet<string> = new Set(cognitoErrorCodes)

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** `com.amazonaws…#RefreshTokenReuseException` and `TooManyRequestsException:http://…` → the name. */
export function sanitizeErrorCode(raw: string): string {
  const cut = raw.split(',')[0]?.split(':')[0] ?? ''
  return (cut.split('#').pop() ?? '').trim()
}

function field(body: unknown, ...names: string[]): unknown {
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  for (const name of names) {
    const hit = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase())
    if (hit !== undefined && record[hit] !== undefined) return record[hit]
  }
  return undefined
}

/** Turns a non-2xx reply into an AuthError. */
export function decodeCognitoError(
  reply: HttpReply,
  now: number,
  secrets: readonly string[],
): AuthError {
  const body = parseJson(reply.text)
  const rawCode =
    field(body, '__type', 'code') ?? reply.headers.get('x-amzn-errortype') ?? undefined
  const code = typeof rawCode === 'string' ? sanitizeErrorCode(rawCode) : ''
  const rawMessage = field(body, 'message') ?? reply.headers.get('x-amzn-errormessage')
  const message = typeof rawMessage === 'string' ? redact(rawMessage, secrets) : undefined
  const common = {
    status: reply.status,
    ...(reply.requestId !== undefined && { requestId: reply.requestId }),
    ...optionalRetryAfter(parseRetryAfter(reply.headers.get('retry-after'), now)),
  }
  if (code === '') {
    // No Cognito error in the reply: a proxy's or load balancer's page. Never a verdict on the token.
    const kind =
      reply.status >= 500 || reply.status === 429 || reply.status === 408 ? 'retryable' : 'fatal'
    const what = body === undefined ? 'a body that is not JSON' : 'no error type'
    return new AuthError('HttpError', `HTTP ${reply.status} with ${what}.`, { ...common, kind })
  }
  if (known.has(code)) {
    return new AuthError(code as AuthErrorCode, `${code}: ${message ?? 'no message'}`, common)
  }
  return new AuthError('UnknownServiceError', `${code}: ${message ?? 'no message'}`, {
    ...common,
    serviceCode: code,
  })
}

function optionalRetryAfter(ms: number | undefined) {
  return ms === undefined ? {} : { retryAfterMs: ms }
}

export interface CallOptions extends CognitoEndpointOptions {
  signal: AbortSignal
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
    throw decodeCognitoError(reply, Date.now(), options.secrets)
  }
  const json = parseJson(reply.text)
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AuthError(
      'InvalidResponse',
      `HTTP ${reply.status} with a body that is not a JSON object.`,
      {
        status: reply.status,
        ...(reply.requestId !== undefined && { requestId: reply.requestId }),
      },
    )
  }
  return json as Record<string, unknown>
}
