/**
 * Short version of `npm run bench:soak` (bench/soak.mjs): 8 tabs with reloads, closes, dropped and
 * throttled refresh calls and offline windows. No sign-out, no reuse error, no demo-API request
 * rejected as expired, and at most one successful refresh per cycle plus one per interrupted tab.
 */
import { closeSync, existsSync, openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const chromiumFound = existsSync('/usr/bin/chromium')
const required = process.env.RCR_REQUIRE_BROWSER === '1'
const skipLine =
  'SKIPPED browser tests: Chromium not found; install it with: apt-get install -y chromium'

/** Prints the skip line once per test run (the test files run in workers of one process). */
function announceSkip() {
  try {
    closeSync(openSync(join(tmpdir(), `rcr-bench-skip-${process.ppid}`), 'wx'))
    console.warn(skipLine)
  } catch {
    // already printed by the other bench test file
  }
}

interface SoakResult {
  calls: number
  ok: number
  generations: number
  duplicateOk: number
  signOuts: number
  reuseSignOuts: number
  notAuthorizedAtEmulator: number
  unauthenticatedAtEnd: number
  demoApi: { ok: number; expired: number; invalid: number; missing: number }
  actions: { reloads: number; closes: number; offlineWindows: number }
  pageErrors: string[]
  signOutReasons: string[]
  outcomes: Record<string, number>
  refreshFailed: Record<string, number>
}
interface SoakModule {
  runSoak(o: Record<string, unknown>): Promise<SoakResult>
}

if (!chromiumFound && !required) announceSkip()

describe.skipIf(!chromiumFound && !required)('bench: chaos soak', () => {
  it('keeps 8 tabs signed in through reloads, closes, faults and offline windows', async () => {
    if (!chromiumFound)
      throw new Error(skipLine.replace('SKIPPED', 'FAILED (RCR_REQUIRE_BROWSER=1)'))
    const soak = (await import(new URL('../../bench/soak.mjs', import.meta.url).href)) as SoakModule
    const r = await soak.runSoak({ lifetimes: 16, seed: 11 })
    expect(r.actions.reloads + r.actions.closes).toBeGreaterThan(0)
    const detail = JSON.stringify({
      signOutReasons: r.signOutReasons,
      outcomes: r.outcomes,
      refreshFailed: r.refreshFailed,
      actions: r.actions,
    })
    expect(r.signOuts, detail).toBe(0)
    expect(r.unauthenticatedAtEnd, detail).toBe(0)
    expect(r.reuseSignOuts, detail).toBe(0)
    expect(r.notAuthorizedAtEmulator, detail).toBe(0)
    expect(r.demoApi.expired, detail).toBe(0)
    expect(r.demoApi.ok).toBeGreaterThan(0)
    expect(r.pageErrors).toEqual([])
    // One success per token generation, plus at most one for each tab reloaded or closed (its call
    // may have reached Cognito and its result died with the page).
    expect(r.generations).toBeGreaterThan(0)
    expect(r.duplicateOk, detail).toBeLessThanOrEqual(r.actions.reloads + r.actions.closes)
  })
})
