/**
 * Short version of `npm run bench:tabs` (bench/tabs.mjs): N tabs of one profile in Chromium against
 * the emulator make one refresh call per token generation, whatever N. Asserts counts, not times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  requiredButMissing,
} from './support/gate'

interface TabsResult {
  n: number
  calls: number
  ok: number
  inFlight: number
  generations: number
  duplicateOk: number
  signOuts: number
  tabErrors: number
  pageErrors: number
  times: number[]
}
interface Harness {
  bundlePage(name: string): Promise<string>
  startPageServer(b: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }>
  launch(): Promise<{ close(): Promise<void> }>
}
interface TabsModule {
  measureTabs(o: Record<string, unknown>): Promise<TabsResult>
}
const load = <T>(path: string) => import(new URL(path, import.meta.url).href) as Promise<T>

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)(
  'bench: refresh calls against tab count',
  () => {
    let harness: Harness
    let tabs: TabsModule
    let server: Awaited<ReturnType<Harness['startPageServer']>>
    let browser: Awaited<ReturnType<Harness['launch']>>

    beforeAll(async () => {
      if (!browserAvailable) throw new Error(requiredButMissing)
      harness = await load<Harness>('../../bench/browser/harness.mjs')
      tabs = await load<TabsModule>('../../bench/tabs.mjs')
      server = await harness.startPageServer({ ours: await harness.bundlePage('ours') })
      browser = await harness.launch()
    })
    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    for (const n of [1, 4]) {
      it(`${n} tab(s): one refresh call per token generation, no errors, no sign-out`, async () => {
        const r = await tabs.measureTabs({
          browser,
          origin: server.origin,
          lib: 'ours',
          n,
          lifetimeS: 6,
          lifetimes: 3,
          latencyMs: [50, 150],
          pollMs: 200,
        })
        expect(r.calls).toBeGreaterThanOrEqual(3)
        expect(r.calls, `refresh calls at ms ${JSON.stringify(r.times)}`).toBe(r.generations)
        expect(r.duplicateOk).toBe(0)
        // A call still on the wire when the window closes is neither ok nor an error.
        expect(r.ok + r.inFlight).toBe(r.calls)
        expect(r.inFlight).toBeLessThanOrEqual(1)
        expect(r.signOuts).toBe(0)
        expect(r.tabErrors).toBe(0)
        expect(r.pageErrors).toBe(0)
      })
    }
  },
)
