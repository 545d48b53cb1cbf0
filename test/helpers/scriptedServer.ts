import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export type Reply = (res: ServerResponse, request: RecordedRequest) => void

/** Sends exact bytes: status, headers in order, body. */
export const raw =
  (status: number, headers: Record<string, string>, body: string): Reply =>
  (res) => {
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) })
    res.end(body)
  }

/** Cuts the connection without a reply. */
export const drop: Reply = (res) => res.socket?.destroy()

/**
 * An HTTP server on 127.0.0.1:0 that answers each request with the next scripted reply and records
 * what it received. Stops with `close()`.
 */
export async function startScriptedServer() {
  const replies: Reply[] = []
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(recorded)
      const reply = replies.shift() ?? raw(500, {}, 'no scripted reply')
      reply(res, recorded)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    reply: (...r: Reply[]) => void replies.push(...r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
