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

interface ShortLivedResult {
  n: number
  windowS: number
  calls: number
  outcomes: Record<string, number>
  times: number[]
  signOuts: number
  pageErrors: number
}
interface Harness {
  bundlePage(name: string): Promise<string>
  startPageServer(b: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }>
  launch(): Promise<{ close(): Promise<void> }>
}
interface ShortLivedModule {
  measureShortLived(o: Record<string, unknown>): Promise<ShortLivedResult>
}
const load = <T>(path: string) => import(new URL(path, import.meta.url).href) as Promise<T>

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)('bench: refreshes on 1 s tokens', () => {
  let harness: Harness
  let shortLived: ShortLivedModule
  let server: Awaited<ReturnType<Harness['startPageServer']>>
  let browser: Awaited<ReturnType<Harness['launch']>>

  beforeAll(async () => {
    if (!browserAvailable) throw new Error(requiredButMissing)
    harness = await load<Harness>('../../bench/browser/harness.mjs')
    shortLived = await load<ShortLivedModule>('../../bench/shortlived.mjs')
    server = await harness.startPageServer({ ours: await harness.bundlePage('ours') })
    browser = await harness.launch()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const n of [1, 2]) {
    it(`${n} tab(s): the refresh rate is bounded`, async () => {
      const windowS = 6
      const r = await shortLived.measureShortLived({
        browser,
        origin: server.origin,
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
