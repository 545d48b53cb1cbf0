/**
 * AWS Lambda: API Gateway HTTP APIs and Function URLs (payload format 2.0) and REST APIs (1.0),
 * their events as Web `Request`s and the `Response` back, every `Set-Cookie` kept apart.
 */

export interface LambdaEvent {
  version?: string
  /** 2.0 */
  rawPath?: string
  rawQueryString?: string
  cookies?: string[]
  /** 1.0 */
  httpMethod?: string
  path?: string
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null
  queryStringParameters?: Record<string, string | undefined> | null
  multiValueHeaders?: Record<string, string[] | undefined> | null
  headers?: Record<string, string | undefined> | null
  body?: string | null
  isBase64Encoded?: boolean
  requestContext?: { domainName?: string; http?: { method?: string } }
}

export interface LambdaResult {
  statusCode: number
  headers: Record<string, string>
  /** 2.0 */
  cookies?: string[]
  /** 1.0 */
  multiValueHeaders?: Record<string, string[]>
  body: string
  isBase64Encoded: boolean
}

export interface LambdaHandlerOptions {
  /** The public origin, e.g. behind CloudFront. @default https://<Host header or domainName> */
  origin?: string
}

function requestOf(event: LambdaEvent, options: LambdaHandlerOptions): Request {
  const v2 = event.version === '2.0'
  const headers = new Headers()
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    for (const value of values ?? []) headers.append(name, value)
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && !headers.has(name)) headers.set(name, value)
  }
  // 2.0 moves the Cookie header into `cookies`.
  if (v2 && event.cookies !== undefined) headers.set('cookie', event.cookies.join('; '))
  const host = headers.get('host') ?? event.requestContext?.domainName ?? 'localhost'
  const url = new URL(
    v2 ? (event.rawPath ?? '/') : (event.path ?? '/'),
    options.origin ?? `https://${host}`,
  )
  if (v2) url.search = event.rawQueryString ?? ''
  else {
    const multi = event.multiValueQueryStringParameters ?? {}
    for (const [name, values] of Object.entries(multi)) {
      for (const value of values ?? []) url.searchParams.append(name, value)
    }
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
      if (value !== undefined && !(name in multi)) url.searchParams.set(name, value)
    }
  }
  const method = (v2 ? event.requestContext?.http?.method : event.httpMethod) ?? 'GET'
  const raw = event.body ?? undefined
  const body =
    raw === undefined || method === 'GET' || method === 'HEAD'
      ? undefined
      : event.isBase64Encoded === true
        ? Uint8Array.from(atob(raw), (c) => c.charCodeAt(0))
        : raw
  return new Request(url, { method, headers, ...(body !== undefined && { body }) })
}

/** `export const handler = lambdaHandler((request) => auth.handle(request))` */
export function lambdaHandler(
  handle: (request: Request) => Promise<Response>,
  options: LambdaHandlerOptions = {},
) {
  return async (event: LambdaEvent): Promise<LambdaResult> => {
    const response = await handle(requestOf(event, options))
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers[name] = value
    })
    const cookies = response.headers.getSetCookie()
    const result = {
      statusCode: response.status,
      headers,
      body: await response.text(),
      isBase64Encoded: false,
    }
    if (event.version === '2.0') return { ...result, cookies }
    return { ...result, multiValueHeaders: { 'set-cookie': cookies } }
  }
}
