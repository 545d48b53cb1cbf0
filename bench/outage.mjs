// Cognito calls during an outage against the number of tabs, in real Chromium against the
// emulator: N pages of one browser context, signed in, then every refresh call fails for
// `outageS` (the emulator's outage window). Tokens live `lifetimeS`, well inside the window, so
// every tab needs a refresh during it. The refresh calls the emulator received in the window are
// counted from its stats. Goal: flat in N (one tab retries on a shared backoff, the others wait).
import { isMain, mdTable } from './lib/common.mjs'
import { runTabGrid } from './browser/harness.mjs'
import { measureWindow } from './browser/session.mjs'
import { benchClientId, startBenchEmulator } from './tabs.mjs'

export const defaults = {
  tabs: [1, 2, 4, 8],
  outageS: 60,
  /** Access/ID lifetime. Amplify refreshes when less than 5 s is left, so more than 5. */
  lifetimeS: 10,
  latencyMs: [100, 300],
  pollMs: 200,
  /** What every refresh call gets during the outage. */
  fault: { kind: 'error', code: 'InternalErrorException' },
  libs: ['ours', 'amplify'],
  /** Page parameters for our client's backoff (`{ backoffBase, backoffMax }`); none: defaults. */
  pageParams: {},
}

/** One cell: `lib` with `n` tabs through one outage window. */
export async function measureOutage({ browser, origin, lib, n, ...options }) {
  const o = { ...defaults, ...options }
  const r = await measureWindow({
    browser,
    origin,
    lib,
    n,
    emulator: () => startBenchEmulator({ lifetimeS: o.lifetimeS, latencyMs: o.latencyMs }),
    clientId: benchClientId,
    pollMs: o.pollMs,
    params: lib === 'ours' ? o.pageParams : {},
    windowS: o.outageS,
    before: (emu) => emu.faults.set({ outage: { durationMs: o.outageS * 1000, fault: o.fault } }),
  })
  return { ...r, perTab: r.calls / n }
}

export async function runOutage(options = {}) {
  const o = { ...defaults, ...options }
  const { results, failures, amplifyBuildError, row } = await runTabGrid({
    libs: o.libs,
    tabs: o.tabs,
    measure: (cell) => measureOutage({ ...o, ...cell }),
    summary: (r) => `${r.calls} refresh calls in ${r.windowS.toFixed(1)} s`,
  })
  const rows = [
    row('ours', '**react-cognito-refresh**: refresh calls in the window', (r) => `**${r.calls}**`),
    row('ours', 'react-cognito-refresh: per tab', (r) => r.perTab.toFixed(1)),
    row('ours', 'react-cognito-refresh: sign-outs / failed `getAccessToken()`', (r) =>
      [r.signOuts, r.failedReads].join(' / '),
    ),
  ]
  if (o.libs.includes('amplify')) {
    rows.push(
      row('amplify', '**aws-amplify**: refresh calls in the window', (r) => `**${r.calls}**`),
      row('amplify', 'aws-amplify: per tab', (r) => r.perTab.toFixed(1)),
      row('amplify', 'aws-amplify: failed `fetchAuthSession()`', (r) => String(r.failedReads)),
    )
  }
  const ours = o.tabs.map((n) => results.find((x) => x.lib === 'ours' && x.n === n))
  const growth =
    ours[0] && ours.at(-1) && ours[0].calls > 0
      ? `${(ours.at(-1).calls / ours[0].calls).toFixed(2)}×`
      : 'not measured'
  const backoff = Object.keys(o.pageParams).length
    ? ` Our backoff for this run: ${JSON.stringify(o.pageParams)}.`
    : ''
  const markdown = [
    `Each cell: one browser context with N tabs, signed in, then an outage of ${o.outageS} s in which the emulator answers every refresh call with ${o.fault.code ?? o.fault.kind} (its fault API, \`outage: { durationMs, fault }\`). Token lifetime ${o.lifetimeS} s (access and ID), so every tab needs a refresh during the window; every tab asks for a token every ${o.pollMs} ms (ours: \`client.getAccessToken()\`; Amplify: \`fetchAuthSession()\`); replies after ${o.latencyMs[0]}-${o.latencyMs[1]} ms. Counted: the refresh calls the emulator answered inside the window (its stats).${backoff}`,
    '',
    mdTable(['', ...o.tabs.map((n) => `N = ${n}`)], rows, ['l', ...o.tabs.map(() => 'r')]),
    '',
    `Goal: flat in N. Ours, N = ${o.tabs.at(-1)} against N = ${o.tabs[0]}: **${growth}** the calls.`,
    ...(amplifyBuildError ? ['', `Amplify page could not be bundled: ${amplifyBuildError}`] : []),
    ...(failures.length
      ? [
          '',
          `Cells that failed: ${failures.map((f) => `${f.lib} N=${f.n}: ${f.error}`).join('; ')}`,
        ]
      : []),
  ].join('\n')
  return { options: o, results, failures, amplifyBuildError, markdown }
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  const result = await runOutage(quick ? { tabs: [1, 2], outageS: 10, lifetimeS: 6 } : {})
  console.log(result.markdown)
}
