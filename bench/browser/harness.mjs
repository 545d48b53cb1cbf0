// Browser harness for the tab and soak benchmarks: the pages bundled with esbuild (ours from
// src/, Amplify from bench/node_modules), a static server on 127.0.0.1:0 so the pages share one
// http origin (localStorage, Web Locks, BroadcastChannel), and Chromium through playwright-core.
import { Buffer } from 'node:buffer'
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { build } from 'esbuild'
import { benchDir, chromiumArgs, chromiumPath } from '../lib/common.mjs'

export const browserAvailable = () => existsSync(chromiumPath)

const pages = {
  ours: join(benchDir, 'browser', 'ours-page.ts'),
  amplify: join(benchDir, 'browser', 'amplify-page.ts'),
  /** The worker refresh mode's worker file, served as `/rcrworker.js` (ours-page `mode=worker`). */
  rcrworker: join(benchDir, '..', 'src', 'worker', 'refresh-worker.ts'),
}

export async function bundlePage(name) {
  const result = await build({
    entryPoints: [pages[name]],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  })
  return result.outputFiles[0].text
}

/** Serves `/<name>.html` and `/<name>.js` for each bundle on 127.0.0.1:0. */
export async function startPageServer(bundles) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname
    const m = /^\/(\w+)\.(html|js)$/.exec(path)
    const name = m?.[1]
    if (!m || bundles[name] === undefined) {
      res.writeHead(404)
      res.end()
      return
    }
    if (m[2] === 'js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' })
      res.end(bundles[name])
    } else {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' })
      res.end(
        `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body><script src="/${name}.js"></script></body></html>`,
      )
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export async function launch() {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      ...chromiumArgs,
      // Every tab runs its timers at full speed, as a foreground tab would.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  })
}

export const pageUrl = (origin, name, params) =>
  `${origin}/${name}.html?${new globalThis.URLSearchParams(params).toString()}`

/**
 * Groups refresh calls (epoch ms, any order) into refresh cycles: a call more than `gapMs` after
 * the first call of the current cycle starts a new one. With one refresh per cycle across all tabs
 * the calls-per-cycle figure is 1.00; a retry or a duplicate call from another tab adds to it.
 */
export function cycles(times, gapMs) {
  const sorted = [...times].sort((a, b) => a - b)
  let count = 0
  let start = -Infinity
  for (const t of sorted) {
    if (t - start > gapMs) {
      count++
      start = t
    }
  }
  return count
}

/**
 * A pass-through proxy in front of the emulator that records each GetTokensFromRefreshToken call:
 * when it arrived, a hash of the refresh token it presented (kept in memory, never printed) and
 * the reply status. With rotation on, every success hands out a new refresh token, so calls per
 * distinct refresh token presented is 1.00 when no token generation is refreshed twice; retries
 * of a failed call present the same token and add to it.
 */
export async function startCountingProxy(target) {
  const { createHash } = await import('node:crypto')
  const calls = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks)
      const op = String(req.headers['x-amz-target'] ?? '')
      let entry
      if (req.method === 'POST' && op.endsWith('GetTokensFromRefreshToken')) {
        let token = ''
        try {
          token = JSON.parse(body.toString('utf8')).RefreshToken ?? ''
        } catch {
          // not JSON: counted with an empty token
        }
        entry = { at: Date.now(), gen: createHash('sha256').update(token).digest('hex'), status: 0 }
        calls.push(entry)
      }
      const headers = { ...req.headers }
      delete headers.host
      delete headers['content-length']
      try {
        const reply = await globalThis.fetch(target + req.url, {
          method: req.method,
          headers,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
        })
        const out = Buffer.from(await reply.arrayBuffer())
        if (entry) entry.status = reply.status
        const replyHeaders = {}
        reply.headers.forEach((v, k) => {
          if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'content-length') {
            replyHeaders[k] = v
          }
        })
        res.writeHead(reply.status, replyHeaders)
        res.end(out)
      } catch {
        // The emulator dropped the connection (an injected fault): drop ours too.
        if (entry) entry.status = -1
        res.destroy()
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Calls per distinct refresh token presented, over the calls in [from, to). */
export function perGeneration(calls, from, to) {
  const window = calls.filter((c) => c.at >= from && c.at < to)
  const gens = new Set(window.map((c) => c.gen))
  const okGens = new Set(window.filter((c) => c.status === 200).map((c) => c.gen))
  return {
    calls: window.length,
    okCalls: window.filter((c) => c.status === 200).length,
    generations: gens.size,
    /** Successful calls that refreshed a generation already refreshed by another success. */
    duplicateOk: window.filter((c) => c.status === 200).length - okGens.size,
  }
}

/**
 * Runs `measure({ browser, origin, lib, n })` for every library and tab count in one browser and
 * page server. A cell that throws is recorded in `failures`, not thrown; an Amplify page that does
 * not bundle is reported in `amplifyBuildError`. `row(lib, label, value)` makes a table row with a
 * cell per tab count.
 */
export async function runTabGrid({ libs, tabs, measure, summary }) {
  if (!browserAvailable()) throw new Error('Chromium not found at /usr/bin/chromium')
  // 'ours-worker' is ours with `mode=worker`: the same page, and the worker file beside it.
  const bundles = { ours: await bundlePage('ours'), rcrworker: await bundlePage('rcrworker') }
  let amplifyBuildError
  if (libs.includes('amplify')) {
    try {
      bundles.amplify = await bundlePage('amplify')
    } catch (error) {
      amplifyBuildError = error instanceof Error ? error.message : String(error)
    }
  }
  const server = await startPageServer(bundles)
  const browser = await launch()
  const results = []
  const failures = []
  try {
    for (const lib of libs) {
      if (!bundles[lib === 'ours-worker' ? 'ours' : lib]) continue
      for (const n of tabs) {
        try {
          const r = await measure({ browser, origin: server.origin, lib, n })
          results.push(r)
          console.log(`${lib} N=${n}: ${summary(r)}`)
        } catch (error) {
          failures.push({ lib, n, error: error instanceof Error ? error.message : String(error) })
          console.log(`${lib} N=${n}: failed: ${failures.at(-1).error}`)
        }
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }
  const row = (lib, label, value) => [
    label,
    ...tabs.map((n) => {
      const r = results.find((x) => x.lib === lib && x.n === n)
      return r ? value(r) : 'failed'
    }),
  ]
  return { results, failures, amplifyBuildError, row }
}
