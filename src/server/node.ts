/**
 * The handlers on Node's `http` server (and Express, which passes the same objects): the request
 * becomes a Web `Request`, the `Response` is written back, every `Set-Cookie` kept apart.
 */
interface NodeRequest extends AsyncIterable<Uint8Array | string> {
  url?: string | undefined
  method?: string | undefined
  headers: Record<string, string | string[] | undefined>
}

interface NodeResponse {
  writeHead(status: number, headers: Record<string, string | string[]>): unknown
  end(body?: Uint8Array): unknown
}

/** The most a request body may hold: these endpoints take none worth more. */
const maxBodyBytes = 65_536

export interface NodeHandlerOptions {
  /** The public origin, when a proxy stands before the server. @default http://<Host header> */
  origin?: string
}

export function nodeHandler(
  handle: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
) {
  return async (req: NodeRequest, res: NodeResponse): Promise<void> => {
    const host = req.headers.host
    const base = options.origin ?? `http://${typeof host === 'string' ? host : 'localhost'}`
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of req) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
      size += bytes.length
      if (size > maxBodyBytes) {
        res.writeHead(413, { 'content-type': 'application/json' })
        res.end(new TextEncoder().encode('{"error":"PayloadTooLarge"}'))
        return
      }
      chunks.push(bytes)
    }
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        headers.append(name, one)
      }
    }
    const method = req.method ?? 'GET'
    const body = new Uint8Array(size)
    let at = 0
    for (const chunk of chunks) {
      body.set(chunk, at)
      at += chunk.length
    }
    const response = await handle(
      new Request(new URL(req.url ?? '/', base), {
        method,
        headers,
        ...(method !== 'GET' && method !== 'HEAD' && { body }),
      }),
    )
    const out: Record<string, string | string[]> = {}
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') out[name] = value
    })
    const cookies = response.headers.getSetCookie()
    if (cookies.length > 0) out['set-cookie'] = cookies
    res.writeHead(response.status, out)
    res.end(new Uint8Array(await response.arrayBuffer()))
  }
}
