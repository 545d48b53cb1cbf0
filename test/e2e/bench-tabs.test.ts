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
import { loadBench, openBenchBrowser } from './support/benchBrowser'

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
interface TabsModule {
  measureTabs(o: Record<string, unknown>): Promise<TabsResult>
}

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)(
  'bench: refresh calls against tab count',
  () => {
    let tabs: TabsModule
    let page: Awaited<ReturnType<typeof openBenchBrowser>>

    beforeAll(async () => {
      if (!browserAvailable) throw new Error(requiredButMissing)
      tabs = await loadBench<TabsModule>('../../bench/tabs.mjs')
      page = await openBenchBrowser()
    })
    afterAll(async () => {
      await page?.close()
    })

    for (const [lib, n] of [
      ['ours', 1],
      ['ours', 4],
      ['ours-worker', 4],
    ] as const) {
      it(`${lib}, ${n} tab(s): one refresh call per token generation, no errors, no sign-out`, async () => {
        const r = await tabs.measureTabs({
          browser: page.browser,
          origin: page.origin,
          lib,
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
