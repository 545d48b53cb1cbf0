/**
 * Short version of `npm run bench:shortlived` (bench/shortlived.mjs): tokens that live one second
 * (a misconfigured pool or proxy) cannot make a tab, or two tabs, refresh in a loop. The rate is
 * held under a floor: here at most one refresh per 5 s plus one, far below one per lifetime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  requiredButMissing,
} from './support/gate'
import { loadBench, openBenchBrowser } from './support/benchBrowser'

interface ShortLivedResult {
  n: number
  windowS: number
  calls: number
  outcomes: Record<string, number>
  times: number[]
  signOuts: number
  pageErrors: number
}
interface ShortLivedModule {
  measureShortLived(o: Record<string, unknown>): Promise<ShortLivedResult>
}

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)('bench: refreshes on 1 s tokens', () => {
  let shortLived: ShortLivedModule
  let page: Awaited<ReturnType<typeof openBenchBrowser>>

  beforeAll(async () => {
    if (!browserAvailable) throw new Error(requiredButMissing)
    shortLived = await loadBench<ShortLivedModule>('../../bench/shortlived.mjs')
    page = await openBenchBrowser()
  })
  afterAll(async () => {
    await page?.close()
  })

  for (const n of [1, 2]) {
    it(`${n} tab(s): the refresh rate is bounded`, async () => {
      const windowS = 6
      const r = await shortLived.measureShortLived({
        browser: page.browser,
        origin: page.origin,
        lib: 'ours',
        n,
        lifetimeS: 1,
        windowS,
        latencyMs: [100, 300],
        pollMs: 200,
      })
      const detail = JSON.stringify({ outcomes: r.outcomes, times: r.times })
      // Cognito never issues tokens under 5 minutes; one refresh per 5 s is a generous ceiling.
      expect(r.calls, detail).toBeLessThanOrEqual(1 + Math.floor(windowS / 5))
      expect(r.signOuts).toBe(0)
      expect(r.pageErrors).toBe(0)
    })
  }
})
