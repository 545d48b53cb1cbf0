/**
 * The migration helpers on a session the real Amplify v6 wrote, in Chromium: the benchmark's
 * Amplify page (bench/browser/amplify-page.ts, aws-amplify from bench/node_modules) signs in to
 * the emulator with USER_PASSWORD_AUTH, then a page of ours on the same origin (same localStorage)
 * adopts that session and refreshes it with the default transport. The emulator's clock runs two
 * minutes behind, so Amplify's clockDrift is far from 0 and a wrong sign or unit shows in the
 * expiry. Token values never leave the pages: the test compares SHA-256 fingerprints and claims.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { demoUser } from '../../src/emulator'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  requiredButMissing,
} from './support/gate'
import { sleep, waitFor } from './support/browser'

interface Common {
  ensurePeers(): void
  peerVersion(name: string): string
}
interface Harness {
  bundlePage(name: 'amplify'): Promise<string>
  startPageServer(b: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }>
  launch(): Promise<Browser>
  pageUrl(origin: string, name: string, params: Record<string, string | number>): string
}
interface Tabs {
  benchClientId: string
  startBenchEmulator(o: {
    lifetimeS: number
    latencyMs: [number, number]
    faults?: { clockOffsetMs?: number }
  }): Promise<Emulator>
}
const load = <T>(path: string) => import(new URL(path, import.meta.url).href) as Promise<T>

/** The emulator's clock against ours: a device clock two minutes fast, as Cognito sees it. */
const clockOffsetMs = -120_000
const lifetimeS = 3600

interface AmplifyCounts {
  sessions: number
  withoutTokens: number
  errors: number
  errorNames: Record<string, number>
}
type Migration = Window['migration']
type Result<K extends keyof Migration> = Awaited<ReturnType<Migration[K]>>

/** Calls `window.migration.<method>` in the page (a string expression: no test code enters it). */
function ours(page: Page) {
  const call = <K extends keyof Migration>(method: K, ...args: unknown[]) =>
    page.evaluate(
      `window.migration.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`,
    ) as Promise<Result<K>>
  return {
    legacy: () => call('legacy'),
    state: () => call('state'),
    migrate: (source: 'amplify' | 'auto') => call('migrate', source),
    adopt: (writeBack: boolean) => call('adopt', writeBack),
    refresh: () => call('refresh'),
    signOut: () => call('signOut'),
  }
}

const amplifyCounts = (page: Page) =>
  page.evaluate('window.bench.counts()') as Promise<AmplifyCounts>

/**
 * What Amplify's own fetchAuthSession() (polled by its page every 100 ms) makes of the storage:
 * waits until it reported `what` once more (the state just changed), then for three more polls,
 * and checks that none of those saw anything else.
 */
async function amplifySees(page: Page, what: 'tokens' | 'nothing') {
  const field = what === 'tokens' ? 'sessions' : 'withoutTokens'
  const other = what === 'tokens' ? 'withoutTokens' : 'sessions'
  const start = await amplifyCounts(page)
  await waitFor(
    `Amplify's fetchAuthSession() to see ${what}`,
    async () => (await amplifyCounts(page))[field] > start[field],
  )
  const from = await amplifyCounts(page)
  await waitFor(
    `three more fetchAuthSession() polls`,
    async () => (await amplifyCounts(page))[field] >= from[field] + 3,
  )
  const to = await amplifyCounts(page)
  expect(to[other] - from[other], `fetchAuthSession() results other than ${what}`).toBe(0)
  expect(to.errorNames, 'fetchAuthSession() errors').toEqual(from.errorNames)
}

/** When Amplify takes the stored access token to lapse, on this device's clock (ms). */
const amplifyExpiry = (stored: Result<'legacy'>) =>
  (stored.access!.claims as { exp: number }).exp * 1000 - Number(stored.clockDrift)

const refreshCalls = (emu: Emulator) =>
  emu.stats().refreshes.filter((r) => r.operation === 'GetTokensFromRefreshToken')
const signIns = (emu: Emulator) =>
  Object.values(emu.stats().calls.InitiateAuth ?? {}).reduce((a, b) => a + b, 0)

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)(
  'migration from a session the real Amplify v6 stored (Chromium)',
  () => {
    let harness: Harness
    let tabs: Tabs
    let server: Awaited<ReturnType<Harness['startPageServer']>> | undefined
    let browser: Browser | undefined

    // ensurePeers() runs `npm ci --prefix bench` when bench/node_modules is missing (a fresh clone,
    // CI): aws-amplify and the other peers from the registry take a minute or more on a slow
    // network, and spawnSync blocks the worker meanwhile, so the hook gets ten minutes rather than
    // the browser project's two.
    beforeAll(async () => {
      if (!browserAvailable) throw new Error(requiredButMissing)
      const common = await load<Common>('../../bench/lib/common.mjs')
      common.ensurePeers()
      expect(common.peerVersion('aws-amplify')).toMatch(/^6\./)
      harness = await load<Harness>('../../bench/browser/harness.mjs')
      tabs = await load<Tabs>('../../bench/tabs.mjs')
      // The harness bundles its two benchmark pages by name; ours is bundled the same way here.
      const migration = await build({
        entryPoints: [fileURLToPath(new URL('./page/amplifyMigration.ts', import.meta.url))],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'chrome120',
        write: false,
        logLevel: 'error',
        define: { 'process.env.NODE_ENV': '"development"' },
      })
      server = await harness.startPageServer({
        amplify: await harness.bundlePage('amplify'),
        migration: migration.outputFiles[0]!.text,
      })
      browser = await harness.launch()
    }, 600_000)

    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    /**
     * A fresh emulator and browser profile; Amplify signs the demo user in through its page and
     * its own fetchAuthSession() sees the tokens. Then our page opens beside it.
     */
    async function amplifySignedIn(context: BrowserContext, emu: Emulator) {
      const errors: string[] = []
      const open = async (name: string, params: Record<string, string | number>) => {
        const page = await context.newPage()
        page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`))
        await page.goto(harness.pageUrl(server!.origin, name, params))
        return page
      }
      const endpoint = `${emu.url}/`
      const clientId = tabs.benchClientId
      const amplify = await open('amplify', {
        pool: emu.userPoolId,
        clientId,
        endpoint,
        poll: 100,
      })
      const step = await amplify.evaluate(
        `window.bench.signIn(${JSON.stringify(demoUser.username)}, ${JSON.stringify(demoUser.password)})`,
      )
      expect(step).toBe('DONE')
      await amplifySees(amplify, 'tokens')
      const page = await open('migration', { clientId, endpoint })
      return { amplify, page: ours(page), errors, clientId }
    }

    /** What Amplify stored, checked against what the emulator issued. */
    function checkAmplifyLayout(stored: Result<'legacy'>, clientId: string) {
      // Amplify keys the session by the name typed at sign-in (dots and all).
      expect(stored.lastAuthUser).toBe(demoUser.username)
      const user = demoUser.username
      expect(stored.keys).toEqual(
        expect.arrayContaining(
          ['LastAuthUser', 'accessToken', 'idToken', 'refreshToken', 'clockDrift'].map((k) =>
            k === 'LastAuthUser' ? k : `${user}.${k}`,
          ),
        ),
      )
      expect(stored.signInDetails).toEqual({ loginId: user, authFlowType: 'USER_PASSWORD_AUTH' })
      expect(stored.access?.claims).toMatchObject({ client_id: clientId, token_use: 'access' })
      expect(stored.refresh.fp).not.toBeNull()
      // Milliseconds, server minus local (iat * 1000 - now): about -120,000 with the server two
      // minutes behind; iat is whole seconds and the reply takes a moment, so up to ~2 s lower.
      const drift = Number(stored.clockDrift)
      expect(drift).toBeLessThanOrEqual(clockOffsetMs + 1)
      expect(drift).toBeGreaterThan(clockOffsetMs - 2_500)
      return drift
    }

    /** The client's expiry: Amplify's convention (exp * 1000 - clockDrift), not past, not later. */
    function checkExpiry(
      tokens: NonNullable<Result<'state'>['tokens']>,
      access: { exp: number; iat: number },
      driftMs: number,
      at: number,
    ) {
      const expiresHere = access.exp * 1000 - driftMs
      expect(tokens.expiresAt).toBeGreaterThan(at)
      expect(tokens.expiresAt).toBeLessThanOrEqual(expiresHere + 1_000)
      // Read with the wrong sign this would be 240 s early; in seconds, 120 s early.
      expect(tokens.expiresAt).toBeGreaterThan(expiresHere - 5_000)
      expect(tokens.expiresAt - tokens.receivedAt).toBeLessThanOrEqual(
        (access.exp - access.iat) * 1000,
      )
    }

    /**
     * One scenario: a fresh emulator (server clock two minutes behind) and browser profile, Amplify
     * signed in and its stored layout checked; `body` runs with both pages. No page error allowed.
     */
    async function scenario(
      body: (s: {
        emu: Emulator
        amplify: Awaited<ReturnType<typeof amplifySignedIn>>['amplify']
        page: Awaited<ReturnType<typeof amplifySignedIn>>['page']
        clientId: string
        stored: Result<'legacy'>
        drift: number
        access: { sub: string; iat: number; exp: number }
      }) => Promise<void>,
    ) {
      const emu = await tabs.startBenchEmulator({
        lifetimeS,
        latencyMs: [10, 30],
        faults: { clockOffsetMs },
      })
      const context = await browser!.newContext()
      try {
        const { amplify, page, errors, clientId } = await amplifySignedIn(context, emu)
        const stored = await page.legacy()
        const drift = checkAmplifyLayout(stored, clientId)
        const access = stored.access!.claims as { sub: string; iat: number; exp: number }
        await body({ emu, amplify, page, clientId, stored, drift, access })
        expect(errors).toEqual([])
      } finally {
        await context.close()
        await emu.stop()
      }
    }

    it('without a bridge: adopts the session, removes the legacy keys, refreshes with our transport', () =>
      scenario(async ({ emu, amplify, page, clientId, stored, drift, access }) => {
        expect(signIns(emu)).toBe(1)

        // A read first: 'auto' recognises Amplify's layout (signInDetails) and agrees with 'amplify'.
        const read = await page.migrate('amplify')
        const auto = await page.migrate('auto')
        expect(read).toMatchObject({
          reason: null,
          source: 'amplify',
          username: demoUser.username,
          serverAheadMs: drift,
          expired: false,
          access: stored.access!.fp,
          id: stored.id!.fp,
          refresh: stored.refresh.fp,
          device: false,
        })
        expect({ ...auto, at: 0 }).toEqual({ ...read, at: 0 })
        const expiresIn = (read as { expiresIn: number }).expiresIn
        expect(expiresIn * 1000).toBeGreaterThan(access.exp * 1000 - drift - read.at - 5_000)
        expect(expiresIn * 1000).toBeLessThanOrEqual(access.exp * 1000 - drift - read.at)

        const adopted = await page.adopt(false)
        expect(adopted).toMatchObject({ reason: null, source: 'amplify', serverAheadMs: drift })
        const s = await page.state()
        expect(s.status).toBe('authenticated')
        // The same user and the very tokens Amplify held: nobody signed in again.
        expect(s.tokens).toMatchObject({
          sub: access.sub,
          version: 1,
          access: stored.access!.fp,
          id: stored.id!.fp,
          refresh: stored.refresh.fp,
        })
        checkExpiry(s.tokens!, access, drift, adopted.after)
        expect(signIns(emu)).toBe(1)

        // The legacy session is gone (device keys would stay; Amplify wrote none here), and
        // Amplify's fetchAuthSession() now finds nobody signed in.
        expect((await page.legacy()).keys).toEqual([])
        await amplifySees(amplify, 'nothing')

        // Our default transport refreshes the adopted refresh token at the emulator.
        expect(refreshCalls(emu)).toEqual([])
        const refreshed = await page.refresh()
        expect(refreshed.status).toBe('authenticated')
        expect(refreshed.tokens).toMatchObject({ sub: access.sub, version: 2 })
        expect(refreshed.tokens!.access).not.toBe(stored.access!.fp)
        // Rotation is on for this client: a new refresh token came back.
        expect(refreshed.tokens!.refresh).not.toBe(stored.refresh.fp)
        const calls = refreshCalls(emu)
        expect(calls.map((c) => [c.clientId, c.outcome, c.rotated])).toEqual([
          [clientId, 'ok', true],
        ])
        expect(signIns(emu)).toBe(1)
      }))

    it("with legacyWriteBack: Amplify's fetchAuthSession() keeps working, idle, and follows our sign-out", () =>
      scenario(async ({ emu, amplify, page, stored, drift, access }) => {
        // A session is adopted some time after Amplify stored it (hours, in an app): here 2 s,
        // more than the second ExpiresIn rounds off, so a clockDrift taken from the adoption
        // time instead of the issue shows.
        await sleep(2_000)
        const adopted = await page.adopt(true)
        expect(adopted).toMatchObject({ reason: null, source: 'amplify', serverAheadMs: drift })
        const s = await page.state()
        expect(s.tokens).toMatchObject({
          sub: access.sub,
          version: 1,
          access: stored.access!.fp,
          refresh: stored.refresh.fp,
        })
        checkExpiry(s.tokens!, access, drift, adopted.after)

        // Written back at once, under the same user, with a clockDrift from which Amplify derives
        // our expiry: the one it derived itself, give or take the second ExpiresIn rounds off.
        const back = await page.legacy()
        expect(back).toMatchObject({
          lastAuthUser: demoUser.username,
          access: { fp: stored.access!.fp },
          id: { fp: stored.id!.fp },
          refresh: { fp: stored.refresh.fp },
        })
        expect(amplifyExpiry(back)).toBe(s.tokens!.expiresAt)
        expect(Number(back.clockDrift)).toBeGreaterThanOrEqual(drift)
        expect(Number(back.clockDrift)).toBeLessThan(drift + 1_000)
        await amplifySees(amplify, 'tokens')

        // Our refresh: the rotated tokens reach Amplify's keys, and Amplify reads them.
        const refreshed = await page.refresh()
        expect(refreshed.tokens).toMatchObject({ sub: access.sub, version: 2 })
        const after = await page.legacy()
        expect(after).toMatchObject({
          lastAuthUser: demoUser.username,
          access: { fp: refreshed.tokens!.access, claims: { sub: access.sub } },
          id: { fp: refreshed.tokens!.id },
          refresh: { fp: refreshed.tokens!.refresh },
        })
        expect(after.refresh.fp).not.toBe(stored.refresh.fp)
        expect(amplifyExpiry(after)).toBe(refreshed.tokens!.expiresAt)
        expect(Number(after.clockDrift)).toBeLessThanOrEqual(clockOffsetMs + 1)
        expect(Number(after.clockDrift)).toBeGreaterThan(clockOffsetMs - 2_500)
        await amplifySees(amplify, 'tokens')
        // Amplify found fresh tokens and stayed idle: the one refresh call is ours.
        expect(refreshCalls(emu).map((c) => [c.outcome, c.rotated])).toEqual([['ok', true]])
        expect(signIns(emu)).toBe(1)

        // Our sign-out removes the legacy session; Amplify sees it.
        const out = await page.signOut()
        expect(out.status).toBe('unauthenticated')
        expect((await page.legacy()).keys).toEqual([])
        await amplifySees(amplify, 'nothing')
      }))
  },
)
