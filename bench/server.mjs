// The server kit's handlers on node:http (nodeHandler), requests per second against a bare
// handler on the same server stack in the same run: the session route (token cookies verified
// with aws-jwt-verify, JWKS cached; no call to Cognito), the refresh route answered from its reuse
// window (many tabs with one cookie), and the refresh route through to the emulator (reuse
// window 0: a call whenever none is in flight for the cookie; concurrent requests share it). Cases alternate in rounds so the shared machine's
// drift hits each alike. Then: how many bytes of server code the browser entries bundle (0).
import { createServer } from 'node:http'
import { build } from 'esbuild'
import { fmt, isMain, mdTable, median } from './lib/common.mjs'

async function listen(handler) {
  const server = createServer(handler)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${server.address().port}` }
}

/** `concurrency` loops sending `init` to `url` for `ms`; requests per second and failures. */
async function load(url, init, { ms, concurrency }) {
  let done = 0
  let failed = 0
  const end = globalThis.performance.now() + ms
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (globalThis.performance.now() < end) {
        const response = await globalThis.fetch(url, init)
        await response.arrayBuffer()
        if (response.ok) done++
        else failed++
      }
    }),
  )
  return { rps: (done / ms) * 1000, failed }
}

/** Bytes of src/server, jose and aws-jwt-verify in a browser bundle of each browser entry. */
async function serverBytesInBrowserBundles() {
  const entries = [
    'src/index.ts',
    'src/sign-in/index.ts',
    'src/transports/index.ts',
    'src/query/index.ts',
  ]
  const rows = []
  for (const entry of entries) {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      write: false,
      metafile: true,
      external: [
        'react',
        'react-dom',
        'react/*',
        '@tanstack/react-query',
        'amazon-cognito-identity-js',
      ],
      logLevel: 'silent',
    })
    const inputs = Object.values(result.metafile.outputs)[0].inputs
    const server = Object.entries(inputs)
      .filter(([path]) => /src\/server\/|node_modules\/(jose|aws-jwt-verify)\//.test(path))
      .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0)
    rows.push({ entry, server })
  }
  return rows
}

export async function runServer({ rounds = 5, ms = 1500, concurrency = 16 } = {}) {
  const { createAuthHandlers, nodeHandler } = await import('../src/server/index.ts')
  const { startEmulator } = await import('../src/emulator/index.ts')
  const client = {
    clientId: 'benchserverclient00000001',
    clientSecret: 'abenchserverclientsecret0123456789',
  }
  const emu = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    users: [
      { username: 'alice', password: 'Passw0rd!alice', attributes: { email: 'a@example.com' } },
    ],
    clients: [client],
  })
  const options = {
    ...client,
    endpoint: emu.url,
    secrets: ['a-bench-session-secret-of-forty-characters'],
    session: { userPoolId: emu.userPoolId },
  }
  const auth = createAuthHandlers(options)
  const direct = createAuthHandlers({ ...options, reuseWindowMs: 0 })
  const bare = await listen(nodeHandler(async () => globalThis.Response.json({ ok: true })))
  const kit = await listen(nodeHandler((request) => auth.handle(request)))
  const through = await listen(nodeHandler((request) => direct.handle(request)))
  try {
    const result = await emu.signIn({ clientId: client.clientId })
    const cookie = (await auth.signedIn(result)).headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
    const post = (origin, path) => [
      `${origin}/api/auth/${path}`,
      { method: 'POST', headers: { cookie, origin, 'x-requested-with': 'fetch' } },
    ]
    const cases = {
      bare: () => post(bare.origin, 'bare'),
      session: () => post(kit.origin, 'session'),
      refreshReused: () => post(kit.origin, 'refresh'),
      refreshThrough: () => post(through.origin, 'refresh'),
    }
    const rps = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
    const calls = Object.fromEntries(Object.keys(cases).map((name) => [name, 0]))
    const requests = Object.fromEntries(Object.keys(cases).map((name) => [name, 0]))
    let failed = 0
    const before = emu.stats().refreshes.length
    for (const name of Object.keys(cases)) await load(...cases[name](), { ms: 300, concurrency }) // warm-up
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? Object.keys(cases) : Object.keys(cases).reverse()
      for (const name of order) {
        const at = emu.stats().refreshes.length
        const outcome = await load(...cases[name](), { ms, concurrency })
        calls[name] += emu.stats().refreshes.length - at
        requests[name] += Math.round((outcome.rps * ms) / 1000)
        rps[name].push(outcome.rps)
        failed += outcome.failed
      }
    }
    const cognitoCalls = emu.stats().refreshes.length - before
    const medians = Object.fromEntries(
      Object.entries(rps).map(([name, values]) => [name, median(values)]),
    )
    const bundles = await serverBytesInBrowserBundles()
    const labels = {
      bare: 'bare handler (`Response.json`) on the same `nodeHandler`',
      session: '`POST …/session`: token cookies verified, no Cognito call',
      refreshReused: '`POST …/refresh`, answered from the reuse window (one cookie, many tabs)',
      refreshThrough:
        '`POST …/refresh` with `reuseWindowMs: 0`: a GetTokensFromRefreshToken to the emulator whenever none is in flight',
    }
    const markdown = [
      `${rounds} rounds of ${ms} ms per case, ${concurrency} concurrent keep-alive clients (Node fetch), cases alternating in order; the emulator runs in the same process, so the last row is bound by it as much as by the handler. Failed requests: ${failed}. Cognito calls during the run: ${fmt(cognitoCalls)}.`,
      '',
      mdTable(
        ['handler', 'requests/s (median)', 'ratio to bare', 'Cognito calls / requests'],
        Object.keys(cases).map((name) => [
          labels[name],
          fmt(Math.round(medians[name])),
          `**${(medians[name] / medians.bare).toFixed(2)}**`,
          `${fmt(calls[name])} / ${fmt(requests[name])}`,
        ]),
        ['l', 'r', 'r', 'r'],
      ),
      '',
      `Server code in the browser bundles (bytes of \`src/server\`, jose and aws-jwt-verify in an esbuild browser bundle of each entry): ${bundles.map((b) => `\`${b.entry}\` ${fmt(b.server)}`).join(' · ')}.`,
    ].join('\n')
    return {
      rounds,
      ms,
      concurrency,
      medians,
      calls,
      requests,
      failed,
      cognitoCalls,
      bundles,
      markdown,
    }
  } finally {
    for (const { server } of [bare, kit, through]) {
      server.closeAllConnections?.()
      await new Promise((resolve) => server.close(resolve))
    }
    await emu.stop()
  }
}

if (isMain(import.meta.url)) {
  console.log((await runServer()).markdown)
}
