// The benchmark page for react-cognito-refresh: one client per tab (localStorage, Web Locks,
// BroadcastChannel: the defaults), polled like an app that asks for a token every ~200 ms, and a
// demo-API caller. Counts what the harness reads; never records token material.
import { cognitoTransport, createAuthClient, createAuthFetch } from '../../src/index'
import type { AuthenticationResult } from '../../src/index'
import { refreshWorker } from '../../src/worker/index'

const q = new URLSearchParams(location.search)
const clientId = q.get('clientId') ?? ''
const endpoint = q.get('endpoint') ?? ''
const demoApiUrl = q.get('api') ?? ''
const pollMs = Number(q.get('poll') ?? '200')
const apiMs = Number(q.get('apiEvery') ?? '0')
// Optional backoff (the outage test narrows it to get many retries into a few seconds).
const backoffBase = q.get('backoffBase')
const backoffMax = q.get('backoffMax')
// Bench lifetimes are seconds, far under Cognito's 5 minutes: the floor under odd lifetimes is
// lowered to 1 s, unless a run measures the library's own (`minRefreshIntervalMs=default`).
const floor = q.get('minRefreshIntervalMs')

// `mode=worker`: the worker refresh mode, its worker file served by the harness as /rcrworker.js.
const worker =
  q.get('mode') === 'worker'
    ? refreshWorker({
        transport: { type: 'cognito', endpoint, clientId },
        worker: () => new SharedWorker('/rcrworker.js', { type: 'module', name: 'rcr-bench' }),
      })
    : undefined

const client = createAuthClient({
  clientId,
  ...(worker ?? { transport: cognitoTransport({ endpoint, clientId }) }),
  ...(floor === 'default' ? {} : { minRefreshIntervalMs: floor === null ? 1000 : Number(floor) }),
  ...(backoffBase !== null || backoffMax !== null
    ? {
        backoff: {
          ...(backoffBase !== null ? { baseMs: Number(backoffBase) } : {}),
          ...(backoffMax !== null ? { maxMs: Number(backoffMax) } : {}),
        },
      }
    : {}),
})
const counts = {
  signOuts: 0,
  signOutReasons: [] as string[],
  reuse: 0,
  refreshed: 0,
  adopted: 0,
  failures: 0,
  failureCodes: {} as Record<string, number>,
  tokenErrors: 0,
  api: { ok: 0, expired: 0, unauthorized: 0, other: 0, errors: 0 },
}
// The harness's binding (survives reloads); absent outside the benchmarks.
const report = (type: string, detail: Record<string, unknown>) =>
  (window as unknown as { benchReport?: (t: string, d: unknown) => void }).benchReport?.(
    type,
    detail,
  )
client.on('signedOut', (e) => {
  // A tab that opens before the sign-in says so too ('noSession'): that is not a sign-out. A tab
  // that lost a session would still show as unauthenticated at the end of a run.
  if (e.reason === 'noSession') return
  report('signedOut', { reason: e.reason, fromOtherTab: e.fromOtherTab, code: e.error?.code })
  counts.signOuts++
  counts.signOutReasons.push(`${e.reason}${e.fromOtherTab ? ' (other tab)' : ''}`)
  if (e.reason === 'reuse') counts.reuse++
})
client.on('tokensRefreshed', () => counts.refreshed++)
client.on('tokensAdopted', () => counts.adopted++)
client.on('refreshFailed', (e) => {
  report('refreshFailed', { code: e.error.code, willRetry: e.willRetry })
  counts.failures++
  counts.failureCodes[e.error.code] = (counts.failureCodes[e.error.code] ?? 0) + 1
})
client.mount()
// The demo API is the emulator's port, another origin than this page.
const authFetch = createAuthFetch(client, {
  allowedOrigins: demoApiUrl === '' ? [] : [new URL(demoApiUrl).origin],
})

const poll = async () => {
  if (client.getSnapshot().status !== 'authenticated') return
  try {
    await client.getAccessToken()
  } catch {
    counts.tokenErrors++
  }
}
setInterval(() => void poll(), pollMs)

if (apiMs > 0 && demoApiUrl !== '') {
  setInterval(async () => {
    if (client.getSnapshot().status !== 'authenticated') return
    try {
      const res = await authFetch(demoApiUrl)
      if (res.ok) counts.api.ok++
      else if (res.status === 401) {
        const body = (await res.text()).toLowerCase()
        if (body.includes('expired')) counts.api.expired++
        else counts.api.unauthorized++
      } else counts.api.other++
    } catch {
      counts.api.errors++
    }
  }, apiMs)
}

declare global {
  interface Window {
    bench: {
      setSession(result: AuthenticationResult): void
      status(): string
      refreshing(): boolean
      counts(): typeof counts
    }
  }
}
window.bench = {
  setSession: (result) => void client.setSession(result),
  status: () => client.getSnapshot().status,
  refreshing: () => client.getSnapshot().refresh === 'refreshing',
  counts: () => counts,
}
