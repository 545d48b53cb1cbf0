// Forced refreshes per 100 API 401s: an API that answers 401 to every request (a token the
// backend will not take, whatever the client does), called 100 times through `createAuthFetch`,
// sequentially and all at once, in Node against the emulator. The refresh calls the emulator
// received are counted from its stats. The tokens live an hour, so no scheduled refresh is due:
// every call counted was forced by a 401. Goal: at most 1 per 100.
import { createServer } from 'node:http'
import { isMain, mdTable } from './lib/common.mjs'

export const defaults = {
  requests: 100,
  modes: ['sequential', 'concurrent'],
  latencyMs: [20, 60],
}

/** An HTTP server on 127.0.0.1:0 that answers every request 401, counting them. */
async function startRejectingApi() {
  let requests = 0
  let withBearer = 0
  const server = createServer((req, res) => {
    requests++
    if (req.headers.authorization?.startsWith('Bearer ')) withBearer++
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': 'Bearer error="invalid_token"',
    })
    res.end('{"message":"Unauthorized"}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/data`,
    origin: `http://127.0.0.1:${server.address().port}`,
    counts: () => ({ requests, withBearer }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** One cell: `requests` calls through createAuthFetch in `mode`, a fresh client and emulator. */
export async function measureStorm({ mode, ...options }) {
  const o = { ...defaults, ...options }
  const { createAuthClient, cognitoTransport, noChannel, noLifecycle, noLock, createAuthFetch } =
    await import('../src/index.ts')
  const { startEmulator, demoRotatingClientId: clientId } = await import('../src/emulator/index.ts')
  const emu = await startEmulator({
    faults: { latencyMs: o.latencyMs, operations: ['GetTokensFromRefreshToken'] },
  })
  const api = await startRejectingApi()
  const client = createAuthClient({
    clientId,
    transport: cognitoTransport({ endpoint: `${emu.url}/`, clientId }),
    storage: 'memory',
    versionMarker: false,
    environment: {
      lock: noLock,
      channel: noChannel,
      lifecycle: noLifecycle,
    },
  })
  let unmount
  try {
    client.setSession(await emu.signIn({ clientId }))
    unmount = client.mount()
    const authFetch = createAuthFetch(client, { allowedOrigins: [api.origin] })
    const statuses = {}
    let rejected = 0
    const one = async () => {
      try {
        const res = await authFetch(api.url)
        await res.arrayBuffer()
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
      } catch (error) {
        rejected++
        const code = error?.code ?? error?.name ?? 'Error'
        statuses[code] = (statuses[code] ?? 0) + 1
      }
    }
    const from = Date.now()
    if (mode === 'sequential') {
      for (let i = 0; i < o.requests; i++) await one()
    } else {
      await Promise.all(Array.from({ length: o.requests }, one))
    }
    const log = emu.stats().refreshes.filter((r) => r.at >= from)
    const answered401 = statuses[401] ?? 0
    return {
      mode,
      requests: o.requests,
      answered401,
      rejected,
      statuses,
      apiRequests: api.counts().requests,
      apiWithBearer: api.counts().withBearer,
      refreshCalls: log.length,
      refreshOk: log.filter((r) => r.outcome === 'ok').length,
      per100: answered401 > 0 ? (log.length * 100) / answered401 : NaN,
      status: client.getSnapshot().status,
    }
  } finally {
    unmount?.()
    client.dispose()
    await api.close()
    await emu.stop()
  }
}

export async function runStorm(options = {}) {
  const o = { ...defaults, ...options }
  const results = []
  for (const mode of o.modes) {
    const r = await measureStorm({ ...o, mode })
    results.push(r)
    console.log(
      `${mode}: ${r.refreshCalls} refresh calls for ${r.answered401} requests answered 401`,
    )
  }
  const rows = results.map((r) => [
    `${r.requests} requests, ${r.mode === 'sequential' ? 'one after another' : 'all at once'}`,
    `**${Number.isNaN(r.per100) ? 'n/a' : r.per100.toFixed(1)}**`,
    `${r.refreshCalls} (${r.refreshOk})`,
    `${r.answered401} / ${r.rejected}`,
    `${r.apiRequests}`,
    r.status,
  ])
  const markdown = [
    `An API on 127.0.0.1 that answers 401 to every request, called through \`createAuthFetch(client)\` (Node ${process.version} fetch), ${o.requests} times one after another and ${o.requests} times at once, each with a fresh client and emulator; tokens live an hour, so every refresh counted was forced by a 401; refresh replies after ${o.latencyMs[0]}-${o.latencyMs[1]} ms. Counted: the refresh calls the emulator received (its stats). No peer beside it: the harness drives none of them with a fetch that refreshes on a 401.`,
    '',
    mdTable(
      [
        'requests',
        'forced refreshes per 100 401s',
        'refresh calls (ok)',
        'requests answered 401 / rejected',
        'requests the API saw',
        'status after',
      ],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    'Goal: at most 1 forced refresh per 100 401s.',
  ].join('\n')
  return { options: o, results, markdown }
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  console.log((await runStorm(quick ? { requests: 20 } : {})).markdown)
}
