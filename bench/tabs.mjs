/* global window */
// Refresh calls per token lifetime against the number of tabs, in real Chromium against the
// emulator: N pages of one browser context (one profile: shared localStorage, Web Locks,
// BroadcastChannel), each asking for a token every ~200 ms, over several short lifetimes.
// The same for Amplify v6 pointed at the emulator with `userPoolEndpoint`.
import { isMain, mdTable, sleep } from './lib/common.mjs'
import { pageUrl, perGeneration, runTabGrid, startCountingProxy } from './browser/harness.mjs'

export const defaults = {
  tabs: [1, 2, 4, 8, 16],
  /** Access/ID token lifetime in seconds. Amplify refreshes 5 s before expiry, so more than 5. */
  lifetimeS: 8,
  lifetimes: 5,
  /** Cognito-like reply latency for refresh calls (uniform, ms). */
  latencyMs: [100, 300],
  pollMs: 200,
}

export const benchClientId = 'benchrotatingclient0000001'

export async function startBenchEmulator({ lifetimeS, latencyMs, faults = {}, graceSeconds = 10 }) {
  const { startEmulator } = await import('../src/emulator/index.ts')
  return startEmulator({
    clients: [
      {
        clientId: benchClientId,
        explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        accessTokenValiditySeconds: lifetimeS,
        idTokenValiditySeconds: lifetimeS,
        refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: graceSeconds },
      },
    ],
    faults: { latencyMs, operations: ['GetTokensFromRefreshToken'], ...faults },
  })
}

async function waitUntil(what, check, timeoutMs = 15_000) {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what}`)
    await sleep(100)
  }
}

/** One measurement: `lib` ('ours' | 'ours-worker' | 'amplify') with `n` tabs. */
export async function measureTabs({
  browser,
  origin,
  lib,
  n,
  lifetimeS,
  lifetimes,
  latencyMs,
  pollMs,
}) {
  const emu = await startBenchEmulator({ lifetimeS, latencyMs })
  const proxy = await startCountingProxy(emu.url)
  const { demoUser } = await import('../src/emulator/index.ts')
  const context = await browser.newContext()
  const pageErrors = []
  const ours = lib !== 'amplify'
  try {
    const url = ours
      ? pageUrl(origin, 'ours', {
          clientId: benchClientId,
          endpoint: `${proxy.url}/`,
          poll: pollMs,
          ...(lib === 'ours-worker' && { mode: 'worker' }),
        })
      : pageUrl(origin, 'amplify', {
          clientId: benchClientId,
          endpoint: `${proxy.url}/`,
          pool: emu.userPoolId,
          poll: pollMs,
        })
    const open = async () => {
      const page = await context.newPage()
      page.on('pageerror', (e) => pageErrors.push(e.message))
      await page.goto(url)
      return page
    }
    const first = await open()
    if (ours) {
      const session = await emu.signIn({ clientId: benchClientId })
      await first.evaluate((s) => window.bench.setSession(s), session)
    } else {
      const step = await first.evaluate(
        ([u, p]) => window.bench.signIn(u, p),
        [demoUser.username, demoUser.password],
      )
      if (step !== 'DONE') throw new Error(`Amplify signIn ended at step ${step}`)
    }
    const pages = [first]
    for (let i = 1; i < n; i++) pages.push(await open())
    if (ours) {
      for (const p of pages) {
        await waitUntil(
          'tab authenticated',
          async () => (await p.evaluate(() => window.bench.status())) === 'authenticated',
        )
      }
    }
    const t0 = Date.now()
    await sleep(lifetimes * lifetimeS * 1000)
    const t1 = Date.now()
    const counts = await Promise.all(pages.map((p) => p.evaluate(() => window.bench.counts())))
    const g = perGeneration(proxy.calls, t0, t1)
    const log = proxy.calls.filter((c) => c.at >= t0 && c.at < t1)
    const calls = g.calls
    const ok = g.okCalls
    // Status 0: the reply had not come back when the window closed (still in flight), not an error.
    const inFlight = log.filter((c) => c.status === 0).length
    const outcomes = {}
    for (const r of log) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1
    const elapsedLifetimes = (t1 - t0) / (lifetimeS * 1000)
    const signOuts = ours ? counts.reduce((s, c) => s + c.signOuts, 0) : undefined
    const tabErrors = ours
      ? counts.reduce((s, c) => s + c.tokenErrors, 0)
      : counts.reduce((s, c) => s + c.errors + c.withoutTokens, 0)
    return {
      lib,
      n,
      calls,
      ok,
      inFlight,
      outcomes,
      elapsedLifetimes,
      perLifetime: calls / elapsedLifetimes,
      generations: g.generations,
      perGeneration: g.generations ? calls / g.generations : NaN,
      duplicateOk: g.duplicateOk,
      signOuts,
      tabErrors,
      pageErrors: pageErrors.length,
      /** Arrival times of the counted calls, ms after the window opened. */
      times: log.map((r) => r.at - t0),
      amplifyErrorNames:
        lib === 'amplify'
          ? counts.reduce((acc, c) => {
              for (const [k, v] of Object.entries(c.errorNames)) acc[k] = (acc[k] ?? 0) + v
              return acc
            }, {})
          : undefined,
    }
  } finally {
    await context.close()
    await proxy.close()
    await emu.stop()
  }
}

export async function runTabs(options = {}) {
  const o = { ...defaults, ...options }
  const { results, failures, amplifyBuildError, row } = await runTabGrid({
    libs: ['ours', 'ours-worker', 'amplify'],
    tabs: o.tabs,
    measure: (cell) => measureTabs({ ...o, ...cell }),
    summary: (r) =>
      `${r.calls} calls, ${r.perLifetime.toFixed(2)}/lifetime, ${r.perGeneration.toFixed(2)}/token generation`,
  })
  const header = ['', ...o.tabs.map((n) => `N = ${n}`)]
  const table = mdTable(
    header,
    [
      row(
        'ours',
        '**react-cognito-refresh**: refresh calls per token generation',
        (r) => `**${r.perGeneration.toFixed(2)}**`,
      ),
      row('ours', 'react-cognito-refresh: refresh calls per token lifetime', (r) =>
        r.perLifetime.toFixed(2),
      ),
      row(
        'ours',
        'react-cognito-refresh: calls (errors) / sign-outs',
        (r) => `${r.calls} (${r.calls - r.ok - r.inFlight}) / ${r.signOuts}`,
      ),
      row(
        'ours-worker',
        '**react-cognito-refresh, worker mode** (`./worker`): refresh calls per token generation',
        (r) => `**${r.perGeneration.toFixed(2)}**`,
      ),
      row(
        'ours-worker',
        'react-cognito-refresh, worker mode: calls (errors) / sign-outs',
        (r) => `${r.calls} (${r.calls - r.ok - r.inFlight}) / ${r.signOuts}`,
      ),
      row(
        'amplify',
        '**aws-amplify**: refresh calls per token generation',
        (r) => `**${r.perGeneration.toFixed(2)}**`,
      ),
      row('amplify', 'aws-amplify: refresh calls per token lifetime', (r) =>
        r.perLifetime.toFixed(2),
      ),
      row(
        'amplify',
        'aws-amplify: calls (errors) / failed fetchAuthSession',
        (r) => `${r.calls} (${r.calls - r.ok - r.inFlight}) / ${r.tabErrors}`,
      ),
    ],
    ['l', ...o.tabs.map(() => 'r')],
  )
  const errorNotes = results
    .filter((r) => r.calls !== r.ok + r.inFlight)
    .map(
      (r) =>
        `${r.lib} N=${r.n}: ${Object.entries(r.outcomes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    )
  const markdown = [
    `Each cell: one browser context (the tabs of one profile) with N pages, token lifetime ${o.lifetimeS} s (access and ID), measured over ${o.lifetimes} lifetimes after all tabs are open; every tab asks for a token every ${o.pollMs} ms (ours: \`client.getAccessToken()\`; Amplify: \`fetchAuthSession()\`); the emulator answers refresh calls after ${o.latencyMs[0]}-${o.latencyMs[1]} ms (refresh-token rotation on, 10 s grace). Calls are counted at the proxy in front of the emulator.`,
    '',
    `A single client refreshes more than once per lifetime by design (ours: lead time min(max(20%, 60 s), 5 min) capped at half the lifetime, i.e. ${o.lifetimeS / 2} s here, plus up to ${(o.lifetimeS * 0.1).toFixed(1)} s jitter; Amplify: when less than 5 s is left). So the goal "one refresh per lifetime for every N" is read as **one call per token generation**: with rotation on, every successful refresh hands out a new refresh token, and a pass-through proxy in front of the emulator records a hash of the refresh token each call presents (in memory, never printed); calls ÷ distinct refresh tokens presented is 1.00 when no generation is refreshed twice, for every N. The raw calls per lifetime are shown too; the goal there is that they do not grow with N.`,
    '',
    table,
    '',
    ...(errorNotes.length
      ? [`Refresh calls that did not succeed: ${errorNotes.join('; ')}.`, '']
      : []),
    ...(amplifyBuildError ? [`Amplify page could not be bundled: ${amplifyBuildError}`, ''] : []),
    ...(failures.length
      ? [`Cells that failed: ${failures.map((f) => `${f.lib} N=${f.n}: ${f.error}`).join('; ')}`]
      : []),
  ].join('\n')
  return { options: o, results, failures, amplifyBuildError, markdown }
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  const result = await runTabs(quick ? { tabs: [1, 4], lifetimes: 2 } : {})
  console.log(result.markdown)
}
