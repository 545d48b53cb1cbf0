/**
 * A real Next.js App Router build: the packed library (as an app installs it) imported into a
 * Server Component, which calls the errors, guards, the client, query keys and query options on
 * the server, and renders the provider and a hook in client components; and a client page that
 * refreshes through the worker refresh mode's SharedWorker in Chromium, the worker file emitted by
 * Turbopack with no setting. Built with `next build`, started with `next start` on a free port.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refreshThroughWorker, startWorkerEmulator } from '../bundlers/workerCheck'
import { browserAvailable, browserRequired, launchChromium } from '../e2e/support/browser'
import { repoRoot } from '../package/support'
import { buildApp, freePort, installApp, type RunningApp, startApp } from './support'

const app = join(repoRoot, 'test', 'next-app')

describe('in a Next.js App Router build', () => {
  let server: RunningApp | undefined
  let url = ''
  let log = ''

  beforeAll(async () => {
    await installApp(app)
    await buildApp(app)
    server = await startApp(app, await freePort())
    url = `${server.url}/`
  }, 600_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('a Server Component calls the server-safe exports, and the client components render', async () => {
    const response = await fetch(url)
    const html = await response.text()
    log = server?.log() ?? ''
    expect(response.status, log).toBe(200)
    const onServer = /<pre id="server">([^<]*)<\/pre>/.exec(html)?.[1]?.replace(/&quot;/g, '"')
    expect(JSON.parse(onServer ?? 'null')).toEqual({
      isAuthError: true,
      instanceOf: true,
      code: 'NetworkError',
      key: ['todos', { authUser: 'sub-1' }],
      user: 'sub-1',
      optionsKey: ['todos', { authUser: null }],
      failure: false,
      shallow: true,
    })
    // The provider and the hook, server-rendered as client components are.
    expect(html).toMatch(/<p id="status">status: (<!-- -->)?loading<\/p>/)
    expect(log).not.toMatch(/Error/)
  }, 60_000)

  it.skipIf(!browserAvailable && !browserRequired)(
    'the worker refresh mode: next build emits the worker file, and a page refreshes through it',
    async () => {
      const media = readdirSync(join(app, '.next', 'static', 'media'))
      expect(media.filter((f) => /^refresh-worker\.[\w-]+\.js$/.test(f))).toHaveLength(1)
      const emulator = await startWorkerEmulator()
      const browser = await launchChromium()
      try {
        await refreshThroughWorker(browser, emulator, `${url}worker`)
      } finally {
        await browser.close()
        await emulator.stop()
      }
    },
    120_000,
  )
})

describe.skipIf(!browserAvailable && !browserRequired)('in a Next.js build with webpack 5', () => {
  // The same app built with `next build --webpack` into a directory of its own, after the
  // Turbopack build above (one build of this app at a time).
  const env = { RCR_NEXT_DIST_DIR: '.next-webpack' }
  let server: RunningApp | undefined

  beforeAll(async () => {
    await installApp(app)
    await buildApp(app, { webpack: true, env })
    server = await startApp(app, await freePort(), env)
  }, 600_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('the worker refresh mode: webpack emits the worker file, and a page refreshes through it', async () => {
    const emulator = await startWorkerEmulator()
    const browser = await launchChromium()
    try {
      // webpack names a worker's chunk after its `name` option.
      const chunks = join(app, env.RCR_NEXT_DIST_DIR, 'static', 'chunks')
      const emitted = readdirSync(chunks).filter((f) => /^react-cognito-refresh\.\w+\.js$/.test(f))
      expect(emitted).toHaveLength(1)
      expect(readFileSync(join(chunks, emitted[0]!), 'utf8')).toContain('GetTokensFromRefreshToken')
      await refreshThroughWorker(browser, emulator, `${server!.url}/worker`)
    } finally {
      await browser.close()
      await emulator.stop()
    }
  }, 120_000)
})
