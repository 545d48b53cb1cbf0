/**
 * Short version of `npm run bench:outage` (bench/outage.mjs): during an outage, the refresh calls
 * Cognito receives do not grow with the number of tabs. One tab retries on a shared backoff and
 * the others wait for its result, so two tabs cost about what one does. Asserts counts, not times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  requiredButMissing,
} from './support/gate'
import { loadBench, openBenchBrowser } from './support/benchBrowser'

interface OutageResult {
  n: number
  calls: number
  ok: number
  outcomes: Record<string, number>
  times: number[]
  signOuts: number
  pageErrors: number
}
interface OutageModule {
  measureOutage(o: Record<string, unknown>): Promise<OutageResult>
}

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)(
  'bench: refresh calls during an outage',
  () => {
    let outage: OutageModule
    let page: Awaited<ReturnType<typeof openBenchBrowser>>

    beforeAll(async () => {
      if (!browserAvailable) throw new Error(requiredButMissing)
      outage = await loadBench<OutageModule>('../../bench/outage.mjs')
      page = await openBenchBrowser()
    })
    afterAll(async () => {
      await page?.close()
    })

    it('two tabs make about as many refresh calls as one (flat in N)', async () => {
      // A one-second backoff cap puts a dozen or more retries per tab into the window, so the
      // counts are large enough that chance can neither hide a second tab's worth of calls nor
      // fake one. Replies come fast (5-15 ms) so that the cross-tab lock, held during each call,
      // does not itself space the tabs' calls out and flatter them.
      const cell = (n: number) =>
        outage.measureOutage({
          browser: page.browser,
          origin: page.origin,
          lib: 'ours',
          n,
          outageS: 10,
          lifetimeS: 2,
          latencyMs: [5, 15],
          pollMs: 200,
          pageParams: { backoffBase: 1000, backoffMax: 1000 },
        })
      const one = await cell(1)
      const two = await cell(2)
      const detail = JSON.stringify({ one: one.calls, two: two.calls, times: two.times })
      // The window was an outage, and a tab needed a refresh in it.
      expect(one.calls, detail).toBeGreaterThanOrEqual(3)
      expect(one.ok + two.ok, detail).toBe(0)
      // Flat in N: a second tab may add a little (a retry in flight when the lead changes hands,
      // and chance), never another tab's worth of calls.
      expect(two.calls, detail).toBeLessThanOrEqual(Math.ceil(one.calls * 1.5) + 2)
      // A network error never signs anyone out.
      expect(one.signOuts + two.signOuts).toBe(0)
      expect(one.pageErrors + two.pageErrors).toBe(0)
    })
  },
)
