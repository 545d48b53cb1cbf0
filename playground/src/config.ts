/**
 * Where the playground signs in and refreshes. In order: `?emulator=<url>` in the page address
 * (a static build pointed at any running emulator), the config the start script injects, the
 * VITE_COGNITO_* variables for a real user pool, else the emulator's CLI default
 * (`npm run emulator` on port 9229).
 */

/** What playground/server.ts puts in the page as `window.__PLAYGROUND__`. */
export interface InjectedConfig {
  emulatorUrl: string
  clientId: string
  demoUser?: { username: string; password: string }
}

export interface PlaygroundConfig {
  /** `emulator`: fault controls and server statistics are shown. */
  mode: 'emulator' | 'cognito'
  clientId: string
  /** The cognito-idp endpoint for InitiateAuth and the library's transport. */
  endpoint: string
  region: string | undefined
  /** The emulator's base URL (control endpoint under /_emulator), in emulator mode. */
  emulatorUrl: string | undefined
  /** A protected API that takes the access token, if any. */
  apiUrl: string | undefined
  /** Credentials to offer on the sign-in form (the emulator's public demo user). */
  demoUser: { username: string; password: string } | undefined
}

/** The emulator's demo user and rotating client (public values, see src/emulator/config.ts). */
const demoUser = { username: 'demo@example.com', password: 'Passw0rd!demo' }
const demoRotatingClientId = 'rotatingdemoclient00000001'
const defaultEmulatorUrl = 'http://127.0.0.1:9229'

function emulatorConfig(url: string, clientId: string, user = demoUser): PlaygroundConfig {
  const base = url.replace(/\/+$/, '')
  return {
    mode: 'emulator',
    clientId,
    endpoint: base,
    region: undefined,
    emulatorUrl: base,
    apiUrl: `${base}/api/profile`,
    demoUser: user,
  }
}

function fromEnv(env: ImportMetaEnv): PlaygroundConfig | undefined {
  const clientId = env.VITE_COGNITO_CLIENT_ID
  if (clientId === undefined || clientId === '') return undefined
  const region = env.VITE_COGNITO_REGION || undefined
  const endpoint =
    env.VITE_COGNITO_ENDPOINT ||
    (region === undefined ? undefined : `https://cognito-idp.${region}.amazonaws.com/`)
  if (endpoint === undefined) {
    throw new Error(
      'Set VITE_COGNITO_REGION (or VITE_COGNITO_ENDPOINT) with VITE_COGNITO_CLIENT_ID.',
    )
  }
  return {
    mode: 'cognito',
    clientId,
    endpoint,
    region,
    emulatorUrl: undefined,
    apiUrl: env.VITE_DEMO_API_URL || undefined,
    demoUser: undefined,
  }
}

export function resolveConfig(search: string): PlaygroundConfig {
  const params = new URLSearchParams(search)
  const emulator = params.get('emulator')
  if (emulator !== null && /^https?:\/\//.test(emulator)) {
    return emulatorConfig(emulator, params.get('clientId') ?? demoRotatingClientId)
  }
  const injected = (globalThis as { __PLAYGROUND__?: InjectedConfig }).__PLAYGROUND__
  if (injected !== undefined) {
    return emulatorConfig(injected.emulatorUrl, injected.clientId, injected.demoUser)
  }
  return fromEnv(import.meta.env) ?? emulatorConfig(defaultEmulatorUrl, demoRotatingClientId)
}
