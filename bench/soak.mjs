/* global window */
// Chaos soak in Chromium against the emulator: 8 tabs of one profile, short token lifetimes,
// tabs reloaded and closed (preferably while they are refreshing), 10% of refresh calls dropped
// (connection destroyed: a network error), 5% throttled, offline windows for the whole browser,
// and every tab calling the demo API through createAuthFetch. Counts sign-outs, reuse errors,
// demo-API requests rejected as expired, and refresh calls per lifetime and per token generation.
import { isMain, mdTable, sleep, mulberry32 } from './lib/common.mjs'
import {
  browserAvailable,
  bundlePage,
  launch,
  pageUrl,
  perGeneration,
  startCountingProxy,
  startPageServer,
} from './browser/harness.mjs'
import { benchClientId, startBenchEmulator } from './tabs.mjs'

export const defaults = {
  tabs: 8,
  lifetimeS: 3,
  lifetimes: 55,
  latencyMs: [100, 300],
  dropRate: 0.1,
  throttleRate: 0.05,
  /** Mean pause between chaos actions. */
  chaosEveryMs: 900,
  offlineMs: [800, 2500],
  apiEveryMs: 500,
  seed: 7,
  /** The app client's RetryGracePeriodSeconds. */
  graceSeconds: 10,
  /** Offline windows for the whole browser (a reply lost on the way needs a grace period). */
  offline: true,
  /** 'lock': the default lock-based mode; 'worker': react-cognito-refresh/worker. */
  mode: 'lock',
}

/**
 * The tab kills at grace period 0: the chaos without what only a grace period can survive (dropped
 * replies, offline windows), in both modes.
 */
export const tabKills = {
  graceSeconds: 0,
  dropRate: 0,
  offline: false,
  lifetimes: 30,
}

/** Runs the soak with a browser and page server already started. */
export async function soak({ browser, origin, ...options }) {
  const o = { ...defaults, ...options }
  const random = mulberry32(o.seed)
  const emu = await startBenchEmulator({
    lifetimeS: o.lifetimeS,
    latencyMs: o.latencyMs,
    faults: { dropRate: o.dropRate, throttleRate: o.throttleRate, retryAfterSeconds: 1 },
    graceSeconds: o.graceSeconds,
  })
  const proxy = await startCountingProxy(emu.url)
  const context = await browser.newContext()
  const events = { signedOut: [], refreshFailed: {} }
  const actions = { reloads: 0, closes: 0, midRefresh: 0, offlineWindows: 0, offlineMs: 0 }
  const pageErrors = []
  await context.exposeBinding('benchReport', (_source, type, detail) => {
    if (type === 'signedOut') events.signedOut.push(detail)
    if (type === 'refreshFailed') {
      events.refreshFailed[detail.code] = (events.refreshFailed[detail.code] ?? 0) + 1
    }
  })
  const url = pageUrl(origin, 'ours', {
    clientId: benchClientId,
    endpoint: `${proxy.url}/`,
    api: emu.demoApiUrl,
    apiEvery: o.apiEveryMs,
    poll: 200,
    ...(o.mode === 'worker' && { mode: 'worker' }),
  })
  const open = async () => {
    const page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(url)
    return page
  }
  let offline = false
  try {
    const pages = [await open()]
    const session = await emu.signIn({ clientId: benchClientId })
    await pages[0].evaluate((s) => window.bench.setSession(s), session)
    while (pages.length < o.tabs) pages.push(await open())
    emu.reset({ faults: false, users: false, tokens: false, stats: true })
    const t0 = Date.now()
    const end = t0 + o.lifetimes * o.lifetimeS * 1000
    let offlineUntil = 0
    while (Date.now() < end) {
      await sleep(o.chaosEveryMs * (0.5 + random()))
      if (offline && Date.now() >= offlineUntil) {
        await context.setOffline(false)
        offline = false
      }
      const roll = random()
      if (roll < 0.12 && !offline && o.offline) {
        const ms = o.offlineMs[0] + random() * (o.offlineMs[1] - o.offlineMs[0])
        await context.setOffline(true)
        offline = true
        offlineUntil = Date.now() + ms
        actions.offlineWindows++
        actions.offlineMs += ms
        continue
      }
      if (offline || roll > 0.75) continue // a reload needs the page server
      // Prefer a tab that is refreshing right now.
      const busy = []
      for (const [i, p] of pages.entries()) {
        if (await p.evaluate(() => window.bench.refreshing()).catch(() => false)) busy.push(i)
      }
      const index = busy.length
        ? busy[Math.floor(random() * busy.length)]
        : Math.floor(random() * pages.length)
      if (busy.length) actions.midRefresh++
      const page = pages[index]
      if (roll < 0.5) {
        await page.reload().catch(() => undefined)
        actions.reloads++
      } else {
        await page.close({ runBeforeUnload: false }).catch(() => undefined)
        pages[index] = await open()
        actions.closes++
      }
    }
    if (offline) await context.setOffline(false)
    offline = false
    const t1 = Date.now()
    // Let in-flight work settle, then read the final state of every tab.
    await sleep(Math.min(2000, o.lifetimeS * 1000))
    const statuses = await Promise.all(pages.map((p) => p.evaluate(() => window.bench.status())))
    const stats = emu.stats()
    const log = stats.refreshes.filter((r) => r.at >= t0 && r.at <= t1)
    const outcomes = {}
    for (const r of log) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1
    const ok = outcomes.ok ?? 0
    const elapsedLifetimes = (t1 - t0) / (o.lifetimeS * 1000)
    const g = perGeneration(proxy.calls, t0, t1)
    const originated = events.signedOut.filter((e) => !e.fromOtherTab)
    return {
      options: o,
      elapsedLifetimes,
      calls: log.length,
      ok,
      outcomes,
      perLifetime: log.length / elapsedLifetimes,
      okPerLifetime: ok / elapsedLifetimes,
      generations: g.generations,
      proxiedCalls: g.calls,
      perGeneration: g.calls / g.generations,
      okPerGeneration: g.okCalls / g.generations,
      duplicateOk: g.duplicateOk,
      signOuts: originated.length,
      signOutReasons: originated.map((e) => e.reason),
      reuseSignOuts: originated.filter((e) => e.reason === 'reuse').length,
      notAuthorizedAtEmulator: outcomes.NotAuthorizedException ?? 0,
      demoApi: stats.demoApi,
      refreshFailed: events.refreshFailed,
      finalStatuses: statuses,
      unauthenticatedAtEnd: statuses.filter((s) => s !== 'authenticated').length,
      actions,
      pageErrors,
    }
  } finally {
    if (offline) await context.setOffline(false).catch(() => undefined)
    await context.close()
    await proxy.close()
    await emu.stop()
  }
}

async function withBrowser(run) {
  if (!browserAvailable()) throw new Error('Chromium not found at /usr/bin/chromium')
  const server = await startPageServer({
    ours: await bundlePage('ours'),
    rcrworker: await bundlePage('rcrworker'),
  })
  const browser = await launch()
  try {
    return await run(browser, server.origin)
  } finally {
    await browser.close()
    await server.close()
  }
}

/** Tab kills at grace period 0, the lock-based mode beside the worker mode, in one run. */
export async function runTabKills(options = {}) {
  const runs = await withBrowser(async (browser, origin) => {
    const out = {}
    for (const mode of ['lock', 'worker']) {
      out[mode] = await soak({ browser, origin, ...tabKills, ...options, mode })
    }
    return out
  })
  const o = runs.lock.options
  const row = (label, pick) => [label, pick(runs.lock), pick(runs.worker)]
  return {
    runs,
    markdown: [
      `${o.tabs} tabs, token lifetime ${o.lifetimeS} s, ${o.lifetimes} lifetimes per mode, rotation on with **no grace period**, the same seed in both modes: tabs reloaded and closed (preferably while refreshing), ${o.throttleRate * 100}% of refresh calls throttled; no dropped replies and no offline windows (a reply lost on the network is lost in either mode: only a grace period saves it).`,
      '',
      mdTable(
        ['measure', 'lock-based mode', 'worker mode (`./worker`)'],
        [
          row(
            'reloads and closes (of them while refreshing)',
            (r) => `${r.actions.reloads + r.actions.closes} (${r.actions.midRefresh})`,
          ),
          row(
            'sign-outs (tabs not signed in at the end)',
            (r) => `**${r.signOuts}** (${r.unauthenticatedAtEnd})`,
          ),
          row(
            'sign-outs for reuse (RefreshTokenReuseException at the emulator)',
            (r) => `**${r.reuseSignOuts}** (${r.outcomes.RefreshTokenReuseException ?? 0})`,
          ),
          row(
            'refresh calls per token generation (all / successful)',
            (r) => `${r.perGeneration.toFixed(2)} / ${r.okPerGeneration.toFixed(2)}`,
          ),
          row('demo-API requests rejected as expired', (r) => String(r.demoApi.expired)),
        ],
        ['l', 'r', 'r'],
      ),
    ].join('\n'),
  }
}

export async function runSoak(options = {}) {
  const r = await withBrowser((browser, origin) => soak({ browser, origin, ...options }))
  const o = r.options
  const failed = Object.entries(r.outcomes)
    .filter(([k]) => k !== 'ok')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  r.markdown = [
    `${o.tabs} tabs of one profile, token lifetime ${o.lifetimeS} s, ${r.elapsedLifetimes.toFixed(1)} lifetimes; refresh calls answered after ${o.latencyMs[0]}-${o.latencyMs[1]} ms, ${o.dropRate * 100}% dropped (connection destroyed: a network error in the page), ${o.throttleRate * 100}% throttled (TooManyRequestsException, Retry-After 1 s); rotation on (${o.graceSeconds} s grace). Chaos: ${r.actions.reloads} reloads and ${r.actions.closes} closes (then a new tab), ${r.actions.midRefresh} of them while the tab was refreshing; ${r.actions.offlineWindows} offline windows (${(r.actions.offlineMs / 1000).toFixed(1)} s in total, the whole browser). Every tab calls the demo API through \`createAuthFetch\` every ${o.apiEveryMs} ms.`,
    '',
    mdTable(
      ['measure', 'result', 'goal'],
      [
        [
          'sign-outs (any reason; tabs not signed in at the end)',
          `**${r.signOuts}** (${r.unauthenticatedAtEnd})`,
          '0',
        ],
        [
          'reuse errors (sign-outs for reuse; NotAuthorizedException at the emulator)',
          `**${r.reuseSignOuts}** (${r.notAuthorizedAtEmulator})`,
          '0',
        ],
        [
          'demo-API requests rejected as expired (ok / invalid / missing)',
          `**${r.demoApi.expired}** (${r.demoApi.ok} / ${r.demoApi.invalid} / ${r.demoApi.missing})`,
          '0',
        ],
        [
          'refresh calls per lifetime (all / successful)',
          `${r.perLifetime.toFixed(2)} / ${r.okPerLifetime.toFixed(2)}`,
          'no growth with tabs',
        ],
        [
          'refresh calls per token generation (all / successful; successes that refreshed a generation twice)',
          `**${r.perGeneration.toFixed(2)}** / ${r.okPerGeneration.toFixed(2)} (${r.duplicateOk})`,
          'at most 1 plus retries',
        ],
        ['refresh calls that failed at the emulator (injected faults)', failed || 'none', ''],
      ],
      ['l', 'r', 'r'],
    ),
    '',
    `Refresh failures seen by the tabs (\`refreshFailed\` events, by code): ${
      Object.entries(r.refreshFailed)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }. Uncaught page errors: ${r.pageErrors.length}.`,
  ].join('\n')
  return r
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  console.log((await runSoak(quick ? { lifetimes: 10 } : {})).markdown)
  console.log('\n' + (await runTabKills(quick ? { lifetimes: 10 } : {})).markdown)
}
