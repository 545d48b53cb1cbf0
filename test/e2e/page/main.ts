/**
 * The test page, bundled with esbuild and served from 127.0.0.1: one auth client on the emulator
 * (another origin: CORS), a loop that calls the protected demo API every ~200 ms, and `window.rcr`
 * for the test to read. Nothing here ever hands token material to the test: only versions, ids,
 * counters and booleans leave the page.
 */
import {
  type AuthenticationResult,
  type AuthEventType,
  cognitoTransport,
  createAuthClient,
  type Transport,
} from '../../../src/core/index'
import { refreshWorker } from '../../../src/worker/index'

const params = new URLSearchParams(location.search)
const clientId = params.get('clientId') ?? ''
const endpoint = params.get('endpoint') ?? ''
const apiUrl = params.get('api') ?? ''
const storage = params.get('storage') === 'memory' ? 'memory' : 'local'
const pollMs = Number(params.get('pollMs') ?? 200)

// The worker refresh mode (`mode=worker`): the page's own copy of refresh-worker.js, as an app that
// self-hosts it would serve it. `noSharedWorker=1` removes SharedWorker first (the fallback).
if (params.get('noSharedWorker') === '1') Reflect.deleteProperty(window, 'SharedWorker')
const worker =
  params.get('mode') === 'worker'
    ? refreshWorker({
        transport: { type: 'cognito', clientId, endpoint },
        refreshToken: params.get('refreshToken') === 'worker' ? 'worker' : 'storage',
        storage,
        worker: () =>
          typeof SharedWorker === 'function'
            ? new SharedWorker('/refresh-worker.js', { type: 'module', name: 'rcr-e2e' })
            : undefined,
      })
    : undefined
const inner = worker?.transport ?? cognitoTransport({ clientId, endpoint })
let inTransport = 0
let transportCalls = 0
const transport: Transport = {
  name: inner.name,
  async refresh(request, options) {
    inTransport++
    transportCalls++
    try {
      return await inner.refresh(request, options)
    } finally {
      inTransport--
    }
  },
  ...(inner.revoke !== undefined && { revoke: inner.revoke }),
}

// The browser tests' tokens live seconds, far under Cognito's 5 minutes: lower the floor under odd
// lifetimes to 1 s, unless a test measures the library's own (`minRefreshIntervalMs=default`).
const floor = params.get('minRefreshIntervalMs')
const lockTimeoutMs = params.get('lockTimeoutMs')
const client = createAuthClient({
  clientId,
  transport,
  storage: worker?.storage ?? storage,
  ...(lockTimeoutMs !== null && { lockTimeoutMs: Number(lockTimeoutMs) }),
  ...(floor === 'default' ? {} : { minRefreshIntervalMs: floor === null ? 1000 : Number(floor) }),
})

interface PageEvent {
  type: AuthEventType
  at: number
  reason?: string
  fromOtherTab?: boolean
  version?: number
  from?: string
  code?: string
}
const events: PageEvent[] = []
const types: AuthEventType[] = [
  'tokensRefreshed',
  'tokensAdopted',
  'refreshFailed',
  'signedIn',
  'signedOut',
  'sessionReplaced',
  'storageIgnored',
  'messageIgnored',
  'lockUnavailable',
  'refreshDiscarded',
  'revokeFailed',
]
for (const type of types) {
  client.on(type, (event) => {
    const e = event as Record<string, unknown>
    const error = e.error as { code?: string } | undefined
    events.push({
      type,
      at: Date.now(),
      ...(typeof e.reason === 'string' && { reason: e.reason }),
      ...(typeof e.fromOtherTab === 'boolean' && { fromOtherTab: e.fromOtherTab }),
      ...(typeof e.version === 'number' && { version: e.version }),
      ...(typeof e.from === 'string' && { from: e.from }),
      ...(error?.code !== undefined && { code: error.code }),
    })
  })
}

const counters = { ok: 0, rejected: 0, expired: 0, failed: 0, noSession: 0 }
let running = true

async function callApi(): Promise<void> {
  if (client.getSnapshot().status !== 'authenticated') {
    counters.noSession++
    return
  }
  let token: string
  try {
    token = await client.getAccessToken()
  } catch {
    counters.noSession++
    return
  }
  try {
    const response = await fetch(apiUrl, { headers: { authorization: `Bearer ${token}` } })
    if (response.ok) counters.ok++
    else {
      counters.rejected++
      const body = (await response.json().catch(() => ({}))) as { message?: string }
      if (/expired/i.test(body.message ?? '')) counters.expired++
    }
  } catch {
    counters.failed++
  }
}

async function loop(): Promise<void> {
  while (running) {
    await callApi()
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

const includesToken = (value: string | null, token: string | undefined) =>
  value !== null && token !== undefined && token !== '' && value.includes(token)

const api = {
  state() {
    const s = client.getSnapshot()
    return {
      status: s.status,
      refresh: s.refresh,
      sessionId: s.tokens?.sessionId ?? null,
      version: s.tokens?.version ?? null,
      expiresAt: s.tokens?.expiresAt ?? null,
      signOutReason: s.signOutReason,
      visibility: document.visibilityState,
    }
  },
  events,
  counters,
  inTransport: () => inTransport,
  /** Whether refreshes run in the SharedWorker (worker mode), or in this tab. */
  inWorker: () => worker?.inWorker() ?? false,
  /** What the stored session holds for a refresh token: the worker's handle, a token, or none. */
  storedRefreshToken() {
    const raw = localStorage.getItem(`react-cognito-refresh.${clientId}`)
    const token =
      raw === null ? undefined : (JSON.parse(raw) as { refreshToken?: unknown }).refreshToken
    if (typeof token !== 'string') return 'none'
    return token.startsWith('rcrw.') ? 'handle' : 'token'
  },
  transportCalls: () => transportCalls,
  /** USER_PASSWORD_AUTH at the emulator, then setSession: the app's own sign-in. */
  async signIn(username: string, password: string) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    })
    if (!response.ok) throw new Error(`InitiateAuth failed with HTTP ${response.status}`)
    const json = (await response.json()) as { AuthenticationResult: AuthenticationResult }
    const tokens = client.setSession(json.AuthenticationResult)
    return { sessionId: tokens.sessionId, version: tokens.version, at: Date.now() }
  },
  async signOut() {
    const at = Date.now()
    await client.signOut()
    return at
  },
  /** Whether any token of the current session sits in localStorage or sessionStorage. */
  leaks() {
    const tokens = client.getSnapshot().tokens
    const stores = [localStorage, sessionStorage]
    const values = stores.flatMap((s) => Object.keys(s).map((k) => s.getItem(k)))
    return {
      keys: Object.keys(localStorage),
      /** What our key holds now: a session blob, a sign-out tombstone, or nothing. */
      slot: (() => {
        const raw = localStorage.getItem(`react-cognito-refresh.${clientId}`)
        if (raw === null) return 'empty'
        const value = JSON.parse(raw) as Record<string, unknown>
        return 'signedOut' in value ? 'tombstone' : 'accessToken' in value ? 'session' : 'other'
      })(),
      jwtInStorage: values.some((v) => v !== null && /eyJ[A-Za-z0-9_-]{10,}\./.test(v)),
      refreshToken: values.some((v) => includesToken(v, tokens?.refreshToken)),
      accessToken: values.some((v) => includesToken(v, tokens?.accessToken)),
      idToken: values.some((v) => includesToken(v, tokens?.idToken)),
      hasTokens: tokens !== null,
    }
  },
  stop() {
    running = false
    client.dispose()
  },
}

declare global {
  interface Window {
    rcr: typeof api
  }
}
window.rcr = api
client.mount()
void loop()
