// Bundle size of our entries and of the peers' entries, built in the same run with the same
// bundler and flags as the reference (peer-bundle-sizes.md): esbuild, bundled, minified ESM for
// the browser, tree-shaken, React external, NODE_ENV=production, legal comments at eof (esbuild's
// default; "code-only" also reports the build with legal comments dropped).
// Prints minified, gzip -9 and brotli-11 bytes. `--json` prints the figures as JSON; `--ours`
// measures only our entries (no peers install needed).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import {
  benchDir,
  ensurePeers,
  fmt,
  isMain,
  mdTable,
  ownVersion,
  peerVersion,
} from './lib/common.mjs'

const entriesDir = join(benchDir, 'entries')
const peerEntriesDir = join(benchDir, 'peers', 'size-entries')
export const goalGzipBytes = 3 * 1024

const external = ['react', 'react-dom', 'react/jsx-runtime']
/** Peers an entry of ours expects the app to ship already (measured in their own rows). */
const peerExternal = { 'transport-identity-js': ['amazon-cognito-identity-js'] }

/** gzip -9 bytes, with the gzip binary as the reference did (gzip 1.12), else zlib level 9. */
function gzipBytes(code) {
  try {
    return execFileSync('gzip', ['-9', '-c'], { input: code, maxBuffer: 64 * 2 ** 20 }).length
  } catch {
    return gzipSync(code, { level: 9 }).length
  }
}

async function bundle(file, extraExternal, legalComments, metafile = false) {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    write: false,
    external: [...external, ...extraExternal],
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments,
    metafile,
    logLevel: 'error',
  })
  if (!metafile) return result.outputFiles[0].contents
  const inputs = Object.values(result.metafile.outputs)[0].inputs
  return Object.entries(inputs)
    .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
}

/** Minified bytes per source file of one entry (esbuild's metafile). */
export async function contributors(file) {
  const entry = basename(file).replace(/\.(t|j)sx?$/, '')
  return bundle(file, peerExternal[entry] ?? [], 'none', true)
}

export async function measure(file) {
  const entry = basename(file).replace(/\.(t|j)sx?$/, '')
  const extra = peerExternal[entry] ?? []
  const code = await bundle(file, extra, 'eof')
  const codeOnly = await bundle(file, extra, 'none')
  return {
    entry,
    min: code.length,
    gzip: gzipBytes(code),
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }).length,
    codeOnlyMin: codeOnly.length,
    codeOnlyGzip: gzipBytes(codeOnly),
    external: extra,
  }
}

function entryFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /\.(t|j)sx?$/.test(f))
    .sort()
    .map((f) => join(dir, f))
    .filter(existsSync)
}

// Sequential: the machine is shared, and esbuild is fast enough.
async function measureAll(files) {
  const rows = []
  for (const f of files) rows.push(await measure(f))
  return rows
}

export const measureOurs = () => measureAll(entryFiles(entriesDir))

const peerLabels = {
  '01-aws-amplify': ['aws-amplify', 'Amplify.configure + fetchAuthSession'],
  '01b-aws-amplify-signInWithRedirect': [
    'aws-amplify',
    'Amplify.configure + fetchAuthSession + signInWithRedirect + signOut',
  ],
  '01c-aws-amplify-signIn': [
    'aws-amplify',
    'Amplify.configure + fetchAuthSession + signIn + confirmSignIn',
  ],
  '02-amazon-cognito-identity-js': ['amazon-cognito-identity-js', 'CognitoUser.refreshSession'],
  '02b-amazon-cognito-identity-js-authenticateUser': [
    'amazon-cognito-identity-js',
    'CognitoUser.refreshSession + authenticateUser',
  ],
  '03a-aws-sdk-cognito-GetTokensFromRefreshToken': [
    '@aws-sdk/client-cognito-identity-provider',
    'client + GetTokensFromRefreshTokenCommand',
  ],
  '04a-oidc-client-ts': ['oidc-client-ts', 'UserManager + signinSilent'],
  '04c-oidc-client-ts-signinRedirect': [
    'oidc-client-ts',
    'UserManager + signinSilent + signinRedirect + callback + signoutRedirect',
  ],
  '04b-react-oidc-context': ['react-oidc-context', 'AuthProvider + useAuth (with oidc-client-ts)'],
  '05a-auth0-spa-js': ['@auth0/auth0-spa-js', 'createAuth0Client + getTokenSilently'],
  '07-supabase-auth-js': ['@supabase/auth-js', 'GoTrueClient + getSession'],
}

const ourLabels = {
  'root-react': 'root entry: AuthProvider, hooks, createAuthFetch, default transport',
  'core-cognito': 'core alone: createAuthClient + cognitoTransport',
  'transport-cognito': 'transport alone: cognitoTransport (GetTokensFromRefreshToken)',
  'transport-initiate-auth': 'transport alone: initiateAuthTransport (REFRESH_TOKEN_AUTH)',
  'transport-oauth2': 'transport alone: oauth2Transport (/oauth2/token)',
  'transport-custom': 'transport alone: customTransport',
  'transport-backend': 'transport alone: backendTransport',
  'root-sign-in': 'root entry plus managedLogin: its difference to root-react is what sign-in adds',
  'root-sign-in-popup':
    'root-sign-in plus signInWithPopup: its difference to root-sign-in is what the popup adds',
  'sign-in': 'sign-in entry: managedLogin (redirect, callback, /logout), beside the root',
  'root-sign-in-headless':
    'root entry plus createSignIn: its difference to root-react is what headless sign-in (password and every challenge) adds',
  'root-sign-in-srp':
    'root-sign-in-headless plus srp: its difference to root-sign-in-headless is what USER_SRP_AUTH adds',
  'root-worker':
    'root entry plus refreshWorker: its difference to root-react is what the worker mode adds to the page',
  'refresh-worker':
    'the worker file (refresh-worker.js): the SharedWorker loads it once, apart from the page',
  'transport-identity-js':
    'transport alone: identityJsTransport (amazon-cognito-identity-js external)',
}

export async function measurePeers() {
  ensurePeers()
  const rows = await measureAll(entryFiles(peerEntriesDir))
  return rows.map((r) => {
    const [pkg, usage] = peerLabels[r.entry] ?? [r.entry, '']
    return { ...r, pkg, version: peerVersion(pkg), usage }
  })
}

/** What managed login adds to the root entry's app (goal: at most 3 KB gzip). */
function signInDelta(ours, peers) {
  const root = ours.find((r) => r.entry === 'root-react')
  const both = ours.find((r) => r.entry === 'root-sign-in')
  const popup = ours.find((r) => r.entry === 'root-sign-in-popup')
  if (root === undefined || both === undefined) return ''
  const added = both.gzip - root.gzip
  const popupAdds = popup
    ? ` \`signInWithPopup\` adds ${fmt(popup.gzip - both.gzip)} B more to an app that imports it.`
    : ''
  const peerDelta = (base, withSignIn, name) => {
    const a = peers.find((r) => r.entry === base)
    const b = peers.find((r) => r.entry === withSignIn)
    return a && b
      ? `; ${name}'s adds ${fmt(b.gzip - a.gzip)} B (\`${withSignIn}\` minus \`${base}\`)`
      : ''
  }
  const whole = (entry, name) => {
    const r = peers.find((p) => p.entry === entry)
    return r ? `, ${name} ${fmt(r.gzip)} B` : ''
  }
  const beside =
    peerDelta('01-aws-amplify', '01b-aws-amplify-signInWithRedirect', 'Amplify') +
    peerDelta('04a-oidc-client-ts', '04c-oidc-client-ts-signinRedirect', 'oidc-client-ts')
  return `Managed login (\`react-cognito-refresh/sign-in\`) adds **${fmt(added)} B gzip** to the root entry's app (goal: at most 3,072 B; ${added <= goalGzipBytes ? 'within' : 'over'}); the root entry does not change for apps that do not import it${beside}. Whole, with sign-in: ours ${fmt(both.gzip)} B${whole('01b-aws-amplify-signInWithRedirect', 'Amplify')}${whole('04c-oidc-client-ts-signinRedirect', 'oidc-client-ts (no React layer)')}.${popupAdds}`
}

export async function runSize({ peers = true } = {}) {
  const ours = await measureOurs()
  const peerRows = peers ? await measurePeers() : []
  const root = ours.find((r) => r.entry === 'root-react')
  const parts = root ? await contributors(join(entriesDir, 'root-react.tsx')) : []
  const top = parts.slice(0, 8)
  const groups = featureGroups(parts)
  const cells = (r) => [
    fmt(r.min),
    fmt(r.gzip),
    fmt(r.brotli),
    fmt(r.codeOnlyMin),
    fmt(r.codeOnlyGzip),
  ]
  const rows = [
    ...ours.map((r) => [
      `**react-cognito-refresh** ${ourLabels[r.entry] ?? r.entry} (\`bench/entries/${r.entry}\`)`,
      ...cells(r),
    ]),
    ...peerRows.map((r) => [`${r.pkg} ${r.version}: ${r.usage} (\`${r.entry}\`)`, ...cells(r)]),
  ]
  const markdown = [
    mdTable(
      ['entry', 'min B', 'gzip -9 B', 'brotli B', 'code-only min B', 'code-only gzip B'],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    root
      ? `Goal: root entry at most 3 KB (3,072 B) gzip, React external. Measured: **${fmt(root.gzip)} B gzip** ` +
        `(${root.gzip <= goalGzipBytes ? 'within the goal' : `over the goal by ${fmt(root.gzip - goalGzipBytes)} B`}).`
      : '',
    '',
    signInDelta(ours, peerRows),
    '',
    groups.length
      ? [
          "Where the root entry's bytes go, by feature (minified bytes from esbuild's metafile; gzip does not split by file, so the gzip column is the entry's gzip size shared out by minified bytes, an estimate). " +
            `The goal means cutting ${(100 * (1 - goalGzipBytes / root.gzip)).toFixed(0)} % of the entry: whole rows, each of which a promised feature needs, not trimming.`,
          '',
          mdTable(
            ['feature', 'files', 'min B', 'share', '≈ gzip B'],
            groups.map((g) => [
              g.label,
              g.files,
              fmt(g.bytes),
              `${g.share.toFixed(0)} %`,
              fmt(Math.round((g.share / 100) * root.gzip)),
            ]),
            ['l', 'l', 'r', 'r', 'r'],
          ),
          '',
        ].join('\n')
      : '',
    top.length
      ? `Largest parts of the root entry (minified bytes from esbuild's metafile): ${top.map((t) => `\`${t.path.replace(/^.*node_modules\//, '')}\` ${fmt(t.bytes)}`).join(' · ')}.`
      : '',
  ].join('\n')
  return {
    ours,
    peers: peerRows,
    root,
    top,
    markdown,
    versions: { esbuild: ownVersion('esbuild') },
  }
}

/** The root entry's files grouped by the feature they serve, largest first. */
const featureOf = [
  ['react: the provider and hooks', /src\/react\//],
  ['core/fetch: the auth fetch (origins, redirects, one retry on 401)', /src\/core\/fetch\//],
  ['core/tabs: session sync, tab messages, notes', /src\/core\/tabs\//],
  ['core/refresh: refresher, critical section, schedule, backoff', /src\/core\/refresh\//],
  ['core/client: the client and its options', /src\/core\/client\//],
  ['core/platform: clock, storage, lock, channel, lifecycle', /src\/core\/platform\//],
  ['core/transports: GetTokensFromRefreshToken over fetch', /src\/core\/transports\//],
  ['core/errors (typed, classified, redacted)', /src\/core\/errors\.ts$/],
  [
    'core/tokens: parse, validate, order (jwt-decode included)',
    /(src\/core\/tokens\.ts|jwt-decode)/,
  ],
  ['core vocabulary: stored format, state, events, store', /src\/core\/[a-zA-Z]+\.ts$/],
]
function featureGroups(parts) {
  const total = parts.reduce((sum, p) => sum + p.bytes, 0)
  const groups = new Map()
  for (const part of parts) {
    if (part.bytes === 0) continue
    const [label] = featureOf.find(([, re]) => re.test(part.path)) ?? ['other (the entry itself)']
    const g = groups.get(label) ?? { label, files: [], bytes: 0 }
    g.files.push(part.path.replace(/^.*node_modules\//, '').replace(/^src\//, ''))
    g.bytes += part.bytes
    groups.set(label, g)
  }
  return [...groups.values()]
    .map((g) => ({ ...g, files: g.files.join(', '), share: (g.bytes / total) * 100 }))
    .sort((a, b) => b.bytes - a.bytes)
}

function printRows(rows) {
  console.log(
    'entry                                          min B   gzip B  brotli B  code-only gzip B',
  )
  for (const r of rows) {
    const flag =
      r.entry === 'root-react'
        ? r.gzip <= goalGzipBytes
          ? '  ok (goal <= 3072)'
          : '  OVER GOAL 3072'
        : ''
    console.log(
      `${(r.pkg ? `${r.pkg} (${r.entry})` : r.entry).slice(0, 44).padEnd(44)} ${String(r.min).padStart(8)} ${String(r.gzip).padStart(8)} ${String(r.brotli).padStart(9)} ${String(r.codeOnlyGzip).padStart(17)}${flag}`,
    )
  }
}

if (isMain(import.meta.url)) {
  const onlyOurs = process.argv.includes('--ours')
  const result = await runSize({ peers: !onlyOurs })
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ ours: result.ours, peers: result.peers }, null, 2))
  } else {
    printRows([...result.ours, ...result.peers])
  }
}
