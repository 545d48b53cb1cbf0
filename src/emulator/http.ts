/** Reading bounded request bodies and writing replies that never throw on a closed socket. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Context } from './context'
import { type ServiceError, statusFor } from './errors'

export interface Body {
  data: Buffer
  /** More than the limit arrived; the extra bytes were read and thrown away. */
  tooLarge: boolean
  /** So much arrived that the rest was not even read; the connection must close. */
  abandoned: boolean
}

/**
 * Reads the body up to `maxBytes`. Past the limit it keeps draining (so the connection stays
 * usable for the next request) until 16× the limit, then stops reading.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const finish = (abandoned: boolean) => {
      if (settled) return
      settled = true
      resolve({ data: Buffer.concat(chunks), tooLarge: abandoned || size > maxBytes, abandoned })
    }
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxBytes * 16) {
      finish(true)
      return
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) chunks.push(chunk)
      else if (size > maxBytes * 16) {
        req.pause()
        finish(true)
      }
    })
    req.on('end', () => finish(false))
    req.on('error', () => finish(true))
    req.on('close', () => finish(!req.complete))
  })
}

/** What the request log says of a reply besides its status: the operation and the outcome. */
export interface ReplyNote {
  operation?: string
  /** An error type, `dropped`, `html` or `lostReply`. */
  outcome?: string
}

const notes = new WeakMap<ServerResponse, ReplyNote>()

export function note(res: ServerResponse, fields: ReplyNote): void {
  notes.set(res, { ...notes.get(res), ...fields })
}

export function noteOf(res: ServerResponse): ReplyNote {
  return notes.get(res) ?? {}
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Header values must be printable ASCII; messages may quote user input. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?')
}

export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  if (res.destroyed || res.headersSent) return
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) })
  res.end(body)
}

export function sendAwsJson(res: ServerResponse, requestId: string, body: unknown): void {
  send(
    res,
    200,
    { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId },
    JSON.stringify(body),
  )
}

/** The awsJson1_1 error bytes: `__type` and `message` in the body and in the headers. */
export function sendServiceError(
  ctx: Context,
  res: ServerResponse,
  requestId: string,
  error: ServiceError,
): void {
  note(res, { outcome: error.code })
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.1',
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': `${error.code}:`,
  }
  if (error.serviceMessage !== undefined) {
    headers['x-amzn-ErrorMessage'] = headerSafe(error.serviceMessage)
  }
  if (error.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(error.retryAfterSeconds)
  const body =
    error.serviceMessage === undefined
      ? { __type: error.code }
      : { __type: error.code, message: error.serviceMessage }
  send(
    res,
    error.status ?? statusFor(error.code, ctx.config.behaviour.statusCodes),
    headers,
    JSON.stringify(body),
  )
}

/** What a load balancer in front of the service answers during an outage: HTML, not JSON. */
export function sendHtmlError(res: ServerResponse, status: number): void {
  note(res, { outcome: 'html' })
  const title = `${status} ${status === 503 ? 'Service Temporarily Unavailable' : 'Bad Gateway'}`
  send(
    res,
    status,
    { 'Content-Type': 'text/html' },
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  )
}

/** Destroys the connection without a reply, as a dropped TCP connection would look. */
export function dropConnection(req: IncomingMessage, res: ServerResponse): void {
  note(res, { outcome: noteOf(res).outcome === 'lostReply' ? 'lostReply' : 'dropped' })
  res.socket?.destroy()
  req.socket.destroy()
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? sleep(ms, undefined, { ref: false }) : Promise.resolve()
}
