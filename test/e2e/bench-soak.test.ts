/**
 * Short version of `npm run bench:soak` (bench/soak.mjs): 8 tabs with reloads, closes, dropped and
 * throttled refresh calls and offline windows; and the tab kills at grace period 0, where the worker
 * mode must lose nothing. No sign-out, no reuse error, no demo-API request
 * rejected as expired, and at most one successful refresh per cycle plus one per interrupted tab.
 */
import { describe, expect, it } from 'vitest'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  requiredButMissing,
} from './support/gate'

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
  runTabKills(o: Record<string, unknown>): Promise<{ runs: Record<'lock' | 'worker', SoakResult> }>
}

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)('bench: chaos soak', () => {
  it('keeps 8 tabs signed in through reloads, closes, faults and offline windows', async () => {
    if (!browserAvailable) throw new Error(requiredButMissing)
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

  it('at grace period 0, the worker mode keeps every tab signed in through tab kills', async () => {
    if (!browserAvailable) throw new Error(requiredButMissing)
    const soak = (await import(new URL('../../bench/soak.mjs', import.meta.url).href)) as SoakModule
    const { runs } = await soak.runTabKills({ lifetimes: 12, seed: 5 })
    const r = runs.worker
    const detail = JSON.stringify({
      signOutReasons: r.signOutReasons,
      outcomes: r.outcomes,
      actions: r.actions,
    })
    expect(r.actions.reloads + r.actions.closes).toBeGreaterThan(0)
    expect(r.signOuts, detail).toBe(0)
    expect(r.unauthenticatedAtEnd, detail).toBe(0)
    expect(r.outcomes.RefreshTokenReuseException ?? 0, detail).toBe(0)
    expect(r.pageErrors).toEqual([])
    // The lock-based mode ran the same chaos beside it, for the figures; it may lose the session.
    expect(runs.lock.actions.reloads + runs.lock.actions.closes).toBeGreaterThan(0)
    console.log(
      `[soak grace 0] lock: ${runs.lock.signOuts} sign-outs (${runs.lock.outcomes.RefreshTokenReuseException ?? 0} reuse at the emulator); worker: ${r.signOuts} (${r.outcomes.RefreshTokenReuseException ?? 0})`,
    )
  })
})
