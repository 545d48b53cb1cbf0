// Refreshes per minute on a 1 s `ExpiresIn`, in real Chromium against the emulator: an app
// client whose access and ID tokens live 1 s (a misconfigured pool, or a proxy that rewrites
// ExpiresIn), N tabs of one context, counted over a bounded window and scaled to a minute.
// Goal: bounded (a floor under the refresh interval), not once per token lifetime.
import { isMain, mdTable } from './lib/common.mjs'
import { runTabGrid } from './browser/harness.mjs'
import { measureWindow } from './browser/session.mjs'
import { benchClientId, startBenchEmulator } from './tabs.mjs'

export const defaults = {
  tabs: [1, 2],
  lifetimeS: 1,
  windowS: 20,
  latencyMs: [100, 300],
  pollMs: 200,
  libs: ['ours', 'amplify'],
}

/** One cell: `lib` with `n` tabs on `lifetimeS` tokens for `windowS`. */
export async function measureShortLived({ browser, origin, lib, n, ...options }) {
  const o = { ...defaults, ...options }
  const r = await measureWindow({
    browser,
    origin,
    lib,
    n,
    emulator: () => startBenchEmulator({ lifetimeS: o.lifetimeS, latencyMs: o.latencyMs }),
    clientId: benchClientId,
    pollMs: o.pollMs,
    // This row measures the library's own floor under odd lifetimes, not the benches' 1 s.
    params: lib === 'ours' ? { minRefreshIntervalMs: 'default' } : {},
    windowS: o.windowS,
  })
  return { ...r, perMinutePerTab: r.perMinute / n }
}

export async function runShortLived(options = {}) {
  const o = { ...defaults, ...options }
  const { results, failures, amplifyBuildError, row } = await runTabGrid({
    libs: o.libs,
    tabs: o.tabs,
    measure: (cell) => measureShortLived({ ...o, ...cell }),
    summary: (r) => `${r.calls} refresh calls in ${r.windowS.toFixed(1)} s`,
  })
  const rows = [
    row(
      'ours',
      '**react-cognito-refresh**: refresh calls per minute (all tabs)',
      (r) => `**${r.perMinute.toFixed(0)}**`,
    ),
    row('ours', 'react-cognito-refresh: per minute per tab', (r) => r.perMinutePerTab.toFixed(0)),
    row(
      'ours',
      'react-cognito-refresh: calls (ok) in the window / sign-outs',
      (r) => `${r.calls} (${r.ok}) / ${r.signOuts}`,
    ),
  ]
  if (o.libs.includes('amplify')) {
    rows.push(
      row(
        'amplify',
        '**aws-amplify**: refresh calls per minute (all tabs)',
        (r) => `**${r.perMinute.toFixed(0)}**`,
      ),
      row('amplify', 'aws-amplify: per minute per tab', (r) => r.perMinutePerTab.toFixed(0)),
      row(
        'amplify',
        'aws-amplify: calls (ok) in the window / failed `fetchAuthSession()`',
        (r) => `${r.calls} (${r.ok}) / ${r.failedReads}`,
      ),
    )
  }
  const markdown = [
    `An app client whose access and ID tokens live ${o.lifetimeS} s (\`ExpiresIn: ${o.lifetimeS}\`; Cognito itself never issues under 5 minutes, a misconfigured pool or proxy can). Each cell: one browser context with N tabs, signed in; every tab asks for a token every ${o.pollMs} ms; replies after ${o.latencyMs[0]}-${o.latencyMs[1]} ms; the refresh calls the emulator answered over ${o.windowS} s (its stats), scaled to a minute.`,
    '',
    mdTable(['', ...o.tabs.map((n) => `N = ${n}`)], rows, ['l', ...o.tabs.map(() => 'r')]),
    '',
    'Goal: bounded by a floor under the refresh interval, whatever the token lifetime.',
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
  console.log((await runShortLived(quick ? { windowS: 6 } : {})).markdown)
}
