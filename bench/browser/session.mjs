/* global window */
// N signed-in tabs of one browser context against an emulator, for the outage and short-lifetime
// benchmarks: ours (the session handed to the first tab with `setSession`, the others adopt it)
// or Amplify (signed in in the first tab, the others read its localStorage).
import { sleep } from '../lib/common.mjs'
import { pageUrl } from './harness.mjs'

export async function waitUntil(what, check, timeoutMs = 15_000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what}`)
    await sleep(100)
  }
}

/**
 * Opens `n` tabs of `lib` ('ours' | 'amplify') in a new context of `browser`, signed in as the
 * emulator's demo user through `endpoint` (the emulator or a proxy in front of it). `params` are
 * extra query parameters for the page. Close the returned `context` when done.
 */
export async function openSignedInTabs({
  browser,
  origin,
  lib,
  n,
  emu,
  clientId,
  endpoint = `${emu.url}/`,
  pollMs = 200,
  params = {},
}) {
  const { demoUser } = await import('../../src/emulator/index.ts')
  const context = await browser.newContext()
  const pageErrors = []
  try {
    const url =
      lib === 'ours'
        ? pageUrl(origin, 'ours', { clientId, endpoint, poll: pollMs, ...params })
        : pageUrl(origin, 'amplify', {
            clientId,
            endpoint,
            pool: emu.userPoolId,
            poll: pollMs,
            ...params,
          })
    const open = async () => {
      const page = await context.newPage()
      page.on('pageerror', (e) => pageErrors.push(e.message))
      await page.goto(url)
      return page
    }
    const pages = [await open()]
    if (lib === 'ours') {
      const session = await emu.signIn({ clientId })
      await pages[0].evaluate((s) => window.bench.setSession(s), session)
    } else {
      const step = await pages[0].evaluate(
        ([u, p]) => window.bench.signIn(u, p),
        [demoUser.username, demoUser.password],
      )
      if (step !== 'DONE') throw new Error(`Amplify signIn ended at step ${step}`)
    }
    while (pages.length < n) pages.push(await open())
    for (const p of pages) {
      await waitUntil('tab signed in', async () =>
        lib === 'ours'
          ? (await p.evaluate(() => window.bench.status())) === 'authenticated'
          : (await p.evaluate(() => window.bench.counts().sessions)) > 0,
      )
    }
    return { context, pages, pageErrors }
  } catch (error) {
    await context.close()
    throw error
  }
}

/** Sums the counters the pages keep (see ours-page.ts and amplify-page.ts). */
export async function tabCounts(lib, pages) {
  const counts = await Promise.all(pages.map((p) => p.evaluate(() => window.bench.counts())))
  const sum = (f) => counts.reduce((s, c) => s + f(c), 0)
  return lib === 'ours'
    ? {
        signOuts: sum((c) => c.signOuts),
        failedReads: sum((c) => c.tokenErrors),
        refreshFailed: sum((c) => c.failures),
      }
    : { signOuts: undefined, failedReads: sum((c) => c.errors + c.withoutTokens) }
}

/** Refresh calls the emulator answered in [from, to), by outcome. */
export function refreshesBetween(emu, from, to) {
  const log = emu.stats().refreshes.filter((r) => r.at >= from && r.at < to)
  const outcomes = {}
  for (const r of log) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1
  return { calls: log.length, ok: outcomes.ok ?? 0, outcomes, times: log.map((r) => r.at - from) }
}

/**
 * One cell of a windowed benchmark: `n` signed-in tabs of `lib` against a fresh emulator
 * (`emulator()`), `before(emu)` (e.g. start an outage), then `windowS` of the tabs polling, counted
 * at the emulator. Everything it starts is stopped before it returns.
 */
export async function measureWindow({
  browser,
  origin,
  lib,
  n,
  emulator,
  clientId,
  pollMs,
  params,
  windowS,
  before: atStart = () => undefined,
}) {
  const emu = await emulator()
  let context
  try {
    const tabs = await openSignedInTabs({ browser, origin, lib, n, emu, clientId, pollMs, params })
    context = tabs.context
    const before = await tabCounts(lib, tabs.pages)
    atStart(emu)
    const t0 = Date.now()
    await sleep(windowS * 1000)
    const t1 = Date.now()
    const after = await tabCounts(lib, tabs.pages)
    const window = refreshesBetween(emu, t0, t1)
    return {
      lib,
      n,
      windowS: (t1 - t0) / 1000,
      calls: window.calls,
      perMinute: (window.calls * 60_000) / (t1 - t0),
      ok: window.ok,
      outcomes: window.outcomes,
      times: window.times,
      signOuts: after.signOuts === undefined ? undefined : after.signOuts - (before.signOuts ?? 0),
      failedReads: after.failedReads - before.failedReads,
      pageErrors: tabs.pageErrors.length,
    }
  } finally {
    await context?.close()
    await emu.stop()
  }
}
