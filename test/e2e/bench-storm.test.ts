/**
 * Short version of `npm run bench:storm` (bench/storm.mjs): an API that answers 401 to every
 * request costs at most one forced refresh for 100 requests through createAuthFetch, sent one
 * after another or all at once. Node only (no browser): the client and the emulator in-process.
 */
import { describe, expect, it } from 'vitest'

interface StormResult {
  mode: string
  requests: number
  answered401: number
  rejected: number
  statuses: Record<string, number>
  apiRequests: number
  refreshCalls: number
  status: string
}
interface StormModule {
  measureStorm(o: Record<string, unknown>): Promise<StormResult>
}

describe('bench: forced refreshes per 100 API 401s', () => {
  for (const mode of ['sequential', 'concurrent']) {
    it(`${mode}: at most one refresh for 100 401s, each 401 handed back`, async () => {
      const storm = (await import(
        new URL('../../bench/storm.mjs', import.meta.url).href
      )) as StormModule
      const r = await storm.measureStorm({ mode, requests: 100, latencyMs: [20, 60] })
      const detail = JSON.stringify({ statuses: r.statuses, apiRequests: r.apiRequests })
      expect(r.refreshCalls, detail).toBeLessThanOrEqual(1)
      // The caller gets the server's 401, and no request is sent more than twice.
      expect(r.answered401, detail).toBe(100)
      expect(r.apiRequests, detail).toBeLessThanOrEqual(200)
      expect(r.status).toBe('authenticated')
    })
  }
})
