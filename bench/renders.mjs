// Renders per refresh: components under one AuthProvider (React 19, jsdom, no StrictMode) that
// select a stable claim, the access token, the status, or the whole useAuth() result. K forced
// refreshes go to the local emulator over real HTTP; each component counts its own renders.
import { JSDOM } from 'jsdom'
import { fmt, isMain, mdTable } from './lib/common.mjs'

export const refreshes = 20

function installDom() {
  const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>', {
    url: 'http://localhost/',
  })
  const g = globalThis
  for (const key of [
    'window',
    'document',
    'navigator',
    'localStorage',
    'sessionStorage',
    'HTMLElement',
    'Node',
  ]) {
    Object.defineProperty(g, key, { value: dom.window[key], configurable: true, writable: true })
  }
  g.IS_REACT_ACT_ENVIRONMENT = true
  return dom
}

export async function runRenders({ k = refreshes } = {}) {
  const dom = installDom()
  const React = await import('react')
  const { createRoot } = await import('react-dom/client')
  const { act, createElement: h } = React
  const lib = await import('../src/index.ts')
  const { startEmulator, demoRotatingClientId } = await import('../src/emulator/index.ts')
  const emu = await startEmulator()
  try {
    const session = await emu.signIn({ clientId: demoRotatingClientId })
    const client = lib.createAuthClient({
      clientId: demoRotatingClientId,
      transport: lib.cognitoTransport({ endpoint: `${emu.url}/`, clientId: demoRotatingClientId }),
      storage: 'memory',
      versionMarker: false,
      environment: {
        lock: lib.noLock,
        channel: lib.noChannel,
        lifecycle: lib.noLifecycle,
      },
    })
    client.setSession(session)
    const counts = {}
    const probe = (name, use) =>
      function Probe() {
        counts[name] = (counts[name] ?? 0) + 1
        const value = use()
        return h('span', null, typeof value === 'string' ? value.length : String(value))
      }
    const probes = {
      'useTokens((t) => t?.accessClaims.sub) (stable claim)': probe('sub', () =>
        lib.useTokens((t) => t?.accessClaims.sub),
      ),
      'useTokens((t) => t?.idClaims?.email) (stable claim)': probe('email', () =>
        lib.useTokens((t) => t?.idClaims?.email),
      ),
      'useTokens((t) => t?.accessToken) (the access token)': probe('token', () =>
        lib.useTokens((t) => t?.accessToken),
      ),
      'useAuthState((s) => s.status) (the status)': probe('status', () =>
        lib.useAuthState((s) => s.status),
      ),
      'useAuth() (everything, incl. refresh activity)': probe('auth', () => lib.useAuth().status),
      'useAuthFetch() (the fetch function)': probe('fetch', () => typeof lib.useAuthFetch()),
    }
    const root = createRoot(dom.window.document.getElementById('root'))
    await act(async () => {
      root.render(
        h(lib.AuthProvider, { client }, ...Object.values(probes).map((P, i) => h(P, { key: i }))),
      )
    })
    const before = { ...counts }
    let failures = 0
    for (let i = 0; i < k; i++) {
      await act(async () => {
        await client.refresh({ force: true }).catch(() => failures++)
      })
    }
    const calls = emu.stats().calls.GetTokensFromRefreshToken?.ok ?? 0
    await act(async () => root.unmount())
    client.dispose()
    const keys = Object.keys(probes)
    const names = ['sub', 'email', 'token', 'status', 'auth', 'fetch']
    const rows = keys.map((label, i) => {
      const n = (counts[names[i]] ?? 0) - (before[names[i]] ?? 0)
      return { label, renders: n, perRefresh: n / k }
    })
    const markdown = [
      `${k} forced refreshes (\`client.refresh({ force: true })\`, each inside \`act\`) against the emulator over HTTP; ${calls} refresh calls answered ok, ${failures} failed. React ${React.version}, jsdom, no StrictMode; renders counted in each component's body, after the first mount.`,
      '',
      mdTable(
        ['component selects', `renders over ${k} refreshes`, 'renders per refresh'],
        rows.map((r) => [
          `\`${r.label.split(' (')[0]}\` (${r.label.split(' (')[1] ?? ''}`,
          fmt(r.renders),
          r.perRefresh.toFixed(2),
        ]),
        ['l', 'r', 'r'],
      ),
    ].join('\n')
    return { k, calls, failures, rows, react: React.version, markdown }
  } finally {
    await emu.stop()
    dom.window.close()
  }
}

if (isMain(import.meta.url)) {
  console.log((await runRenders()).markdown)
}
