// createAuthFetch (what useAuthFetch returns) against plain fetch, for GET requests to a local
// HTTP server, in Node (undici fetch, keep-alive). A and B batches alternate (ABBA order) so drift
// and noise from the shared machine hit both; the figure is the median of the per-round ratios
// B/A, with the spread (min, p10, p90, max). The token is valid throughout: no refresh happens.
import { createServer } from 'node:http'
import { fmt, isMain, mdTable, median, quantile } from './lib/common.mjs'

export async function runFetch({ rounds = 40, batch = 100 } = {}) {
  const { createAuthClient, cognitoTransport, noChannel, noLifecycle, noLock, createAuthFetch } =
    await import('../src/index.ts')
  const { startEmulator, demoRotatingClientId } = await import('../src/emulator/index.ts')
  const emu = await startEmulator()
  let sawBearer = 0
  const server = createServer((req, res) => {
    if (req.headers.authorization?.startsWith('Bearer ')) sawBearer++
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' })
    res.end('{"ok":true}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/data`
  const client = createAuthClient({
    clientId: demoRotatingClientId,
    transport: cognitoTransport({ endpoint: `${emu.url}/`, clientId: demoRotatingClientId }),
    storage: 'memory',
    versionMarker: false,
    environment: {
      lock: noLock,
      channel: noChannel,
      lifecycle: noLifecycle,
    },
  })
  try {
    client.setSession(await emu.signIn({ clientId: demoRotatingClientId }))
    const unmount = client.mount()
    const authFetch = createAuthFetch(client, { allowedOrigins: [new URL(url).origin] })
    const plain = (u) => globalThis.fetch(u)
    const timeBatch = async (f) => {
      const t0 = globalThis.performance.now()
      for (let i = 0; i < batch; i++) {
        const res = await f(url)
        await res.arrayBuffer()
      }
      return globalThis.performance.now() - t0
    }
    // Warm-up: connections, JIT.
    await timeBatch(plain)
    await timeBatch(authFetch)
    const ratios = []
    const perA = []
    const perB = []
    for (let r = 0; r < rounds; r++) {
      let a
      let b
      if (r % 2 === 0) {
        a = await timeBatch(plain)
        b = await timeBatch(authFetch)
      } else {
        b = await timeBatch(authFetch)
        a = await timeBatch(plain)
      }
      ratios.push(b / a)
      perA.push((a / batch) * 1000)
      perB.push((b / batch) * 1000)
    }
    unmount()
    const refreshCalls = emu.stats().refreshes.length
    const result = {
      rounds,
      batch,
      medianRatio: median(ratios),
      min: Math.min(...ratios),
      p10: quantile(ratios, 0.1),
      p90: quantile(ratios, 0.9),
      max: Math.max(...ratios),
      medianPlainUs: median(perA),
      medianAuthUs: median(perB),
      bearerRequests: sawBearer,
      refreshCalls,
    }
    const f2 = (x) => x.toFixed(3)
    result.markdown = [
      `${rounds} rounds, each one batch of ${batch} sequential GET requests with plain \`fetch\` (A) and one with \`createAuthFetch(client)\` (B, the function \`useAuthFetch()\` returns), in ABBA order; Node ${process.version} fetch (undici, keep-alive) to a local \`node:http\` server returning 11 bytes; the token stays valid (refresh calls during the run: ${refreshCalls}; requests that carried a Bearer token: ${fmt(sawBearer)}).`,
      '',
      mdTable(
        [
          'median ratio B/A',
          'spread (min / p10 / p90 / max)',
          'median per request, plain fetch',
          'median per request, createAuthFetch',
        ],
        [
          [
            `**${f2(result.medianRatio)}**`,
            `${f2(result.min)} / ${f2(result.p10)} / ${f2(result.p90)} / ${f2(result.max)}`,
            `${result.medianPlainUs.toFixed(0)} µs`,
            `${result.medianAuthUs.toFixed(0)} µs`,
          ],
        ],
        ['r', 'r', 'r', 'r'],
      ),
    ].join('\n')
    return result
  } finally {
    client.dispose()
    await new Promise((resolve) => server.close(resolve))
    server.closeAllConnections?.()
    await emu.stop()
  }
}

if (isMain(import.meta.url)) {
  console.log((await runFetch()).markdown)
}
