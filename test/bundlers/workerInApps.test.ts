/**
 * The worker refresh mode out of the box in a Vite app: the packed library, no bundler setting,
 * built and on the dev server. The page signs in at the emulator and refreshes once in Chromium; the
 * refresh must have been answered by the SharedWorker the bundler emitted from the package's
 * `new URL('./refresh-worker.js', import.meta.url)`. Next.js (Turbopack) is checked on
 * test/next-app's build, in test/next/serverComponents.test.ts.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { build, createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator/index'
import { serveStatic, type StaticServer } from '../e2e/playground-support/staticServer'
import { browserAvailable, browserRequired, launchChromium } from '../e2e/support/browser'
import { freePort, installPackedLibrary } from '../next/support'
import { repoRoot } from '../package/support'
import { refreshThroughWorker, startWorkerEmulator } from './workerCheck'

const app = join(repoRoot, 'test', 'vite-app')

describe.skipIf(!browserAvailable && !browserRequired)(
  'the worker refresh mode in a Vite app',
  () => {
    let browser: Browser
    let emulator: Emulator
    let served: StaticServer | undefined
    let dev: ViteDevServer | undefined

    beforeAll(async () => {
      emulator = await startWorkerEmulator()
      browser = await launchChromium()
      await installPackedLibrary(app)
    }, 300_000)

    afterAll(async () => {
      await served?.close()
      await dev?.close()
      await browser?.close()
      await emulator?.stop()
    })

    it('vite build emits the worker file, and the page refreshes through it', async () => {
      await build({
        root: app,
        configFile: false,
        logLevel: 'error',
        build: { outDir: 'dist', emptyOutDir: true },
      })
      const emitted = readdirSync(join(app, 'dist', 'assets')).filter((f) =>
        /^refresh-worker-[\w-]+\.js$/.test(f),
      )
      expect(emitted).toHaveLength(1)
      served = await serveStatic(join(app, 'dist'))
      expect(await refreshThroughWorker(browser, emulator, `${served.url}/`)).toEqual([
        `${served.url}/assets/${emitted[0]}`,
      ])
    }, 120_000)

    it('the dev server serves it too', async () => {
      dev = await createServer({
        root: app,
        configFile: false,
        logLevel: 'error',
        server: { host: '127.0.0.1', port: await freePort(), strictPort: true },
      })
      await dev.listen()
      const loaded = await refreshThroughWorker(browser, emulator, dev.resolvedUrls!.local[0]!)
      expect(loaded).toEqual([
        expect.stringContaining('/react-cognito-refresh/dist/refresh-worker.js'),
      ])
    }, 120_000)
  },
)
