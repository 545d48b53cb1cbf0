// `npm run bench`: runs every part in one invocation and writes BENCHMARKS.md (figures from this
// run only) and bench/results/latest.json. `--only size,herd` runs some parts (BENCHMARKS.md is
// then not rewritten unless `--write` is given). Run with tsx: some parts import the TS sources.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  ensurePeers,
  machine,
  ownVersion,
  peerVersion,
  resultsDir,
  rootDir,
} from './lib/common.mjs'

const parts = [
  {
    id: 'size',
    title: '1. Bundle size',
    load: async () => (await import('./size.mjs')).runSize(),
  },
  {
    id: 'tabs',
    title: '2. Refresh calls per token lifetime against the number of tabs (Chromium, emulator)',
    load: async () => (await import('./tabs.mjs')).runTabs(),
  },
  {
    id: 'renders',
    title: '3. Renders per refresh',
    load: async () => (await import('./renders.mjs')).runRenders(),
  },
  {
    id: 'fetch',
    title: '4. `createAuthFetch` overhead against plain `fetch`',
    load: async () => (await import('./fetch.mjs')).runFetch(),
  },
  {
    id: 'herd',
    title: '5. Thundering herd (simulation)',
    load: async () => (await import('./herd.mjs')).runHerd(),
  },
  {
    id: 'soak',
    title: '6. Chaos soak (Chromium, emulator)',
    load: async () => (await import('./soak.mjs')).runSoak(),
  },
  {
    id: 'tabkills',
    title:
      '6b. Tab kills at grace period 0: the lock-based mode beside the worker mode (Chromium, emulator)',
    load: async () => (await import('./soak.mjs')).runTabKills(),
  },
  {
    id: 'outage',
    title: '7. Cognito calls during a 60 s outage against the number of tabs (Chromium, emulator)',
    load: async () => (await import('./outage.mjs')).runOutage(),
  },
  {
    id: 'storm',
    title: '8. Forced refreshes per 100 API 401s',
    load: async () => (await import('./storm.mjs')).runStorm(),
  },
  {
    id: 'shortlived',
    title: '9. Refreshes per minute on a 1 s `ExpiresIn` (Chromium, emulator)',
    load: async () => (await import('./shortlived.mjs')).runShortLived(),
  },
  {
    id: 'server',
    title: '10. Server kit: requests per second against a bare handler',
    load: async () => (await import('./server.mjs')).runServer(),
  },
]

const arg = (name) => {
  const i = process.argv.indexOf(name)
  return i === -1 ? undefined : process.argv[i + 1]
}
const only = arg('--only')?.split(',')
const selected = parts.filter((p) => !only || only.includes(p.id))
const write = !only || process.argv.includes('--write')

ensurePeers()
const started = Date.now()
const sections = []
const json = {}
for (const part of selected) {
  const t0 = Date.now()
  console.log(`\n=== ${part.title}`)
  let body
  try {
    const result = await part.load()
    body = result.markdown
    json[part.id] = { ...result, markdown: undefined }
  } catch (error) {
    // A part that cannot run is reported as such, never replaced by old figures.
    body = `**Not measured in this run:** ${error instanceof Error ? error.message : String(error)}`
    json[part.id] = { error: String(error) }
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(0)
  console.log(body)
  sections.push(`## ${part.title}\n\n${body}\n\n_Part time: ${seconds} s._`)
}
const totalSeconds = Math.round((Date.now() - started) / 1000)

const m = machine()
const pkg = (name) => `${name} ${peerVersion(name)}`
const header = [
  '# Benchmarks',
  '',
  '<!-- Written by `npm run bench` (bench/run.mjs). Do not edit by hand: every figure comes from that run. -->',
  '',
  `Run on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, in ${totalSeconds} s.`,
  '',
  `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.platform}, node ${m.node}, ${m.chromium}. The machine was shared with other work during the run, so timings are indicative; counts are not timing-dependent.`,
  '',
  `Versions: react-cognito-refresh ${JSON.parse((await import('node:fs')).readFileSync(join(rootDir, 'package.json'), 'utf8')).version} (this checkout), esbuild ${ownVersion('esbuild')}, react ${ownVersion('react')}, playwright-core ${ownVersion('playwright-core')}; peers: ${[
    'aws-amplify',
    'amazon-cognito-identity-js',
    '@aws-sdk/client-cognito-identity-provider',
    'oidc-client-ts',
    'react-oidc-context',
    '@auth0/auth0-spa-js',
    '@supabase/auth-js',
  ]
    .map(pkg)
    .join(', ')} (bench/package.json, bench/package-lock.json).`,
  '',
  'Run it: `npm run bench` (everything, rewrites this file) or one part: `npm run bench:size`, `bench:tabs`, `bench:renders`, `bench:fetch`, `bench:herd`, `bench:soak` (with 6b), `bench:outage`, `bench:storm`, `bench:shortlived`, `bench:server`.',
]
const doc = `${[...header, '', ...sections].join('\n')}\n`
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify({ machine: m, totalSeconds, parts: json }, null, 2)}\n`,
)
if (write) {
  writeFileSync(join(rootDir, 'BENCHMARKS.md'), doc)
  console.log(`\nWrote BENCHMARKS.md (${totalSeconds} s).`)
}
