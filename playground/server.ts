/**
 * Starts the playground: the Vite dev server and the Cognito emulator with a short-lived demo
 * client (unless a real pool is configured through VITE_COGNITO_* variables), whose control
 * endpoint accepts the page's origin only; the page gets the emulator's address in a script tag. Used by `npm start` (start.ts) and the browser test.
 */
import { fileURLToPath } from 'node:url'
import { createServer, type LogLevel, type Plugin } from 'vite'
import {
  demoClassicClientId,
  demoClients,
  demoRotatingClientId,
  demoUser,
  type Emulator,
  startEmulator,
} from '../src/emulator/index'
import { challengePassword, challengeUsers } from './src/challengeUsers'
import type { InjectedConfig } from './src/config'

export interface PlaygroundOptions {
  /** The page's port; 0 picks a free one. @default 5173 */
  port?: number
  /** The emulator's port; 0 picks a free one. @default 9229 */
  emulatorPort?: number
  /** The demo client's access and ID token lifetime, so refreshes are visible. @default 60 */
  tokenSeconds?: number
  /** How long a rotated refresh token still works. @default 10 */
  graceSeconds?: number
  /** Vite's log level. @default 'info' */
  logLevel?: LogLevel
  /** Where to look for VITE_COGNITO_*. @default process.env */
  env?: NodeJS.ProcessEnv
}

export interface Playground {
  /** The page's address. */
  url: string
  /** The emulator, or undefined with a real user pool. */
  emulator: Emulator | undefined
  clientId: string
  /** Stops Vite and the emulator. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Puts `window.__PLAYGROUND__` into index.html (see src/config.ts). Read per page load: the
 * emulator starts after Vite, once the page's origin is known.
 */
function injectConfig(config: () => InjectedConfig | undefined): Plugin {
  return {
    name: 'rcr-playground-config',
    transformIndexHtml: () => {
      const current = config()
      if (current === undefined) return []
      // Escape "<" so no value can close the script element.
      const json = JSON.stringify(current).replace(/</g, '\\u003c')
      return [
        { tag: 'script', children: `window.__PLAYGROUND__ = ${json}`, injectTo: 'head-prepend' },
      ]
    },
  }
}

/** The page's origin under both loopback names, for the emulator's controlOrigins. */
function pageOrigins(url: string): string[] {
  const page = new URL(url)
  return ['127.0.0.1', 'localhost'].map((name) => {
    page.hostname = name
    return page.origin
  })
}

/** A real pool is configured when a client id is given; then no emulator is started. */
export function usesRealPool(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.VITE_COGNITO_CLIENT_ID ?? '') !== ''
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const env = options.env ?? process.env
  const tokenSeconds = options.tokenSeconds ?? 60
  const withEmulator = !usesRealPool(env)
  let emulator: Emulator | undefined
  let injected: InjectedConfig | undefined
  const vite = await createServer({
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    // The emulator's address goes into the page, not into `define`: a new port on every start
    // would change Vite's config hash and re-optimise the dependencies each time.
    plugins: withEmulator ? [injectConfig(() => injected)] : [],
    server: { port: options.port ?? 5173, strictPort: false, host: '127.0.0.1' },
    logLevel: options.logLevel ?? 'info',
    clearScreen: false,
  })
  try {
    await vite.listen()
    const url = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${options.port ?? 5173}/`
    if (withEmulator) {
      emulator = await startEmulator({
        port: options.emulatorPort ?? 9229,
        // The fault panel drives /_emulator from this page; no other page may.
        controlOrigins: pageOrigins(url),
        users: [
          demoUser,
          ...challengeUsers.map(({ what: _what, ...user }) => ({
            ...user,
            password: challengePassword,
          })),
        ],
        clients: demoClients.map((demo) => {
          // Managed login returns to this page, on whatever port it got.
          const page = pageOrigins(url).map((origin) => `${origin}/`)
          const client = {
            ...demo,
            callbackURLs: [...new Set([...(demo.callbackURLs ?? []), ...page])],
            logoutURLs: [...new Set([...(demo.logoutURLs ?? []), ...page])],
          }
          return client.clientId === demoRotatingClientId
            ? {
                ...client,
                accessTokenValiditySeconds: tokenSeconds,
                idTokenValiditySeconds: tokenSeconds,
                refreshTokenRotation: {
                  feature: 'ENABLED',
                  retryGracePeriodSeconds: options.graceSeconds ?? 10,
                },
              }
            : client
        }),
      })
      injected = {
        emulatorUrl: emulator.url,
        clientId: demoRotatingClientId,
        demoUser: { username: demoUser.username, password: demoUser.password },
      }
    }
    let stopped: Promise<void> | undefined
    return {
      url,
      emulator,
      clientId: injected?.clientId ?? env.VITE_COGNITO_CLIENT_ID ?? '',
      stop() {
        stopped ??= Promise.allSettled([vite.close(), emulator?.stop()]).then(() => undefined)
        return stopped
      },
    }
  } catch (error) {
    await Promise.allSettled([vite.close(), emulator?.stop()])
    throw error
  }
}

export { demoClassicClientId, demoRotatingClientId, demoUser }
