/**
 * A proxy in front of the emulator that can hold one refresh's reply: the emulator has already
 * rotated the token (the successor exists only in that reply), and the proxy keeps the reply back
 * until the test releases it. What a slow network, or a tab closed at the wrong moment, does.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

const hopByHop = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
  'host',
])

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startHoldProxy(target: string) {
  let armed = false
  let held = 0
  const waiting: Array<() => void> = []
  const server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req)
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (!hopByHop.has(name) && typeof value === 'string') headers.set(name, value)
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS'
      const upstream = await fetch(new URL(req.url ?? '/', target), {
        method: req.method ?? 'GET',
        headers,
        ...(hasBody && { body: new Uint8Array(payload) }),
      })
      const reply = Buffer.from(await upstream.arrayBuffer())
      const refresh = String(req.headers['x-amz-target'] ?? '').endsWith(
        'GetTokensFromRefreshToken',
      )
      if (armed && refresh && upstream.ok) {
        armed = false
        held++
        await new Promise<void>((resolve) => waiting.push(resolve))
      }
      const out: Record<string, string> = {}
      upstream.headers.forEach((value, name) => {
        if (!hopByHop.has(name)) out[name] = value
      })
      res.writeHead(upstream.status, out)
      res.end(reply)
    })().catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    /** Holds the next successful refresh reply. */
    arm: () => void (armed = true),
    /** How many replies were held so far. */
    held: () => held,
    release: () => {
      for (const resolve of waiting.splice(0)) resolve()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const resolve of waiting.splice(0)) resolve()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
