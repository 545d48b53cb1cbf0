// Browser harness for the tab and soak benchmarks: the pages bundled with esbuild (ours from
// src/, Amplify from bench/node_modules), a static server on 127.0.0.1:0 so the pages share one
// http origin (localStorage, Web Locks, BroadcastChannel), and Chromium through playwright-core.
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { build } from 'esbuild'
import { benchDir, chromiumArgs, chromiumPath } from '../lib/common.mjs'

export const browserAvailable = () => existsSync(chromiumPath)

const pages = {
  ours: join(benchDir, 'browser', 'ours-page.ts'),
  amplify: join(benchDir, 'browser', 'amplify-page.ts'),
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
  `${origin}/${name}.html?${new URLSearchParams(params).toString()}`

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
