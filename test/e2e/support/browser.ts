/**
 * Support for the browser tests: Debian's Chromium through playwright-core (one browser per test
 * file; each scenario gets its own context, whose pages share localStorage, BroadcastChannel and
 * Web Locks like the tabs of one profile), the test page bundled with esbuild, and a static
 * server on 127.0.0.1:0 so the page has a real http origin of its own.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright-core'

import { chromiumBaseArgs, chromiumPath } from './gate'

export {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  chromiumPath,
  skipMessage,
} from './gate'

const chromiumArgs = [
  ...chromiumBaseArgs,
  // Every tab runs its timers at full speed, as a foreground tab would.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs })
}

/** A page script (test/e2e/page/<name>) and what it imports, in one IIFE. */
export async function bundlePage(name = 'main.ts'): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../page/${name}`, import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"' },
  })
  return result.outputFiles[0]!.text
}

/** The default refresh worker file, as the package ships it (refresh-worker.js). */
export async function bundleRefreshWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../../../src/worker/refresh-worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/**
 * Serves `/` (the page; on every path with `everyPath`), `/bundle.js` and any `scripts` (path to
 * JavaScript) on 127.0.0.1:0.
 */
export async function startPageServer(
  bundle: string,
  { everyPath = false, scripts = {} as Record<string, string> } = {},
) {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>rcr e2e</title></head>' +
    '<body><script src="/bundle.js"></script></body></html>'
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname
    const script =
      path === '/bundle.js' ? bundle : Object.hasOwn(scripts, path) ? scripts[path] : undefined
    if (script !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' })
      res.end(script)
    } else if (path === '/' || everyPath) {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' })
      res.end(html)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Polls `check` every 50 ms until it is true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
): Promise<number> {
  const start = Date.now()
  for (;;) {
    if (await check()) return Date.now() - start
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface PageState {
  status: string
  refresh: string
  sessionId: string | null
  version: number | null
  expiresAt: number | null
  signOutReason: string | null
  visibility: string
}

export interface PageEvent {
  type: string
  at: number
  reason?: string
  fromOtherTab?: boolean
  version?: number
  from?: string
  code?: string
}

interface Rcr {
  state(): PageState
  events: PageEvent[]
  counters: { ok: number; rejected: number; expired: number; failed: number; noSession: number }
  inTransport(): number
  inWorker(): boolean
  storedRefreshToken(): 'handle' | 'token' | 'none'
  transportCalls(): number
  signIn(username: string, password: string): Promise<{ sessionId: string; at: number }>
  signOut(): Promise<number>
  leaks(): {
    keys: string[]
    refreshToken: boolean
    accessToken: boolean
    idToken: boolean
    hasTokens: boolean
    slot: 'empty' | 'tombstone' | 'session' | 'other'
    jwtInStorage: boolean
  }
  stop(): void
}

/** Typed access to `window.rcr` in a page; every value crossing over is token-free. */
export function tab(page: Page) {
  // String expressions, so no test-side function source (with transpiler helpers) enters the page.
  const call = <K extends keyof Rcr>(method: K, ...args: unknown[]) =>
    page.evaluate(
      `window.rcr.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`,
    ) as Promise<Rcr[K] extends (...a: never[]) => infer R ? Awaited<R> : never>
  return {
    page,
    state: () => call('state'),
    events: () => page.evaluate('window.rcr.events') as Promise<PageEvent[]>,
    counters: () => page.evaluate('({ ...window.rcr.counters })') as Promise<Rcr['counters']>,
    inTransport: () => call('inTransport'),
    inWorker: () => call('inWorker'),
    storedRefreshToken: () => call('storedRefreshToken'),
    transportCalls: () => call('transportCalls'),
    signIn: (username: string, password: string) => call('signIn', username, password),
    signOut: () => call('signOut'),
    leaks: () => call('leaks'),
    stop: () => call('stop'),
  }
}

export type Tab = ReturnType<typeof tab>
