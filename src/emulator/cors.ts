/**
 * CORS for every response, errors included, so a page on another localhost port can call the
 * emulator. Preflights echo the requested headers: the AWS SDK sends `x-amz-target`,
 * `x-amz-user-agent`, `amz-sdk-*` and `cache-control`; the demo API needs `authorization`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { header, headerSafe } from './http'

const exposed = [
  'x-amzn-RequestId',
  'x-amzn-ErrorType',
  'x-amzn-ErrorMessage',
  'Date',
  'Retry-After',
  'WWW-Authenticate',
].join(', ')

const defaultAllowedHeaders = [
  'authorization',
  'content-type',
  'x-amz-target',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'cache-control',
].join(', ')

export function applyCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Expose-Headers', exposed)
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  if (res.destroyed) return
  const requested = header(req, 'access-control-request-headers')
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
      requested === undefined ? defaultAllowedHeaders : headerSafe(requested),
    'Access-Control-Max-Age': '600',
    'Content-Length': '0',
  })
  res.end()
}
