/**
 * The worker refresh mode in Chromium: real tabs, a real SharedWorker serving refresh-worker.js,
 * Web Locks and BroadcastChannel, the emulator rotating refresh tokens with no grace period, and a
 * proxy that holds a rotated reply. Each loss scenario runs on the lock-based path too, to show
 * what the worker saves: there a tab closed or paused mid-refresh takes the only successor along,
 * and every tab signs out with `reuse`.
 */
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { demoUser, type Emulator, startEmulator } from '../../src/emulator/index'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  bundlePage,
  bundleRefreshWorker,
  launchChromium,
  sleep,
  startPageServer,
  tab,
  type Tab,
  waitFor,
} from './support/browser'
import { startHoldProxy } from './support/holdProxy'

if (!browserAvailable && !browserRequired) announceSkipOnce()

const clientId = 'e2eworkerclient00000000001'
const lifetimeSeconds = 6
type Mode = 'worker' | 'lock'

describe.skipIf(!browserAvailable && !browserRequired)('worker refresh mode in Chromium', () => {
  let browser: Browser
  let pages: Awaited<ReturnType<typeof startPageServer>>
  let emulator: Emulator | undefined
  let proxy: Awaited<ReturnType<typeof startHoldProxy>> | undefined
  let context: BrowserContext | undefined

  beforeAll(async () => {
    const [bundle, worker] = await Promise.all([bundlePage(), bundleRefreshWorker()])
    pages = await startPageServer(bundle, { scripts: { '/refresh-worker.js': worker } })
    browser = await launchChromium()
  })

  afterEach(async () => {
    await context?.close()
    context = undefined
    await proxy?.close()
    proxy = undefined
    await emulator?.stop()
    emulator = undefined
  })

  afterAll(async () => {
    await browser?.close()
    await pages?.close()
  })

  async function start() {
    emulator = await startEmulator({
      port: 0,
      clients: [
        {
          clientId,
          accessTokenValiditySeconds: lifetimeSeconds,
          idTokenValiditySeconds: lifetimeSeconds,
          refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 },
        },
      ],
    })
    proxy = await startHoldProxy(emulator.url)
    context = await browser.newContext()
  }

  async function open(mode: Mode, extra: Record<string, string> = {}): Promise<Tab> {
    const query = new URLSearchParams({
      clientId,
      endpoint: proxy!.url,
      api: emulator!.demoApiUrl,
      lockTimeoutMs: '3000',
      ...(mode === 'worker' && { mode: 'worker' }),
      ...extra,
    })
    const page = await context!.newPage()
    await page.goto(`${pages.origin}/?${query}`)
    await page.waitForFunction('window.rcr !== undefined')
    return tab(page)
  }

  async function openTabs(mode: Mode, count: number, extra: Record<string, string> = {}) {
    const tabs: Tab[] = []
    for (let i = 0; i < count; i++) tabs.push(await open(mode, extra))
    await tabs[0]!.signIn(demoUser.username, demoUser.password)
    await waitFor('every tab signed in', async () =>
      (await Promise.all(tabs.map((t) => t.state()))).every((s) => s.status === 'authenticated'),
    )
    return tabs
  }

  /** Waits until a refresh's reply is held: Cognito has rotated, the successor is in the proxy. */
  async function holdNextRefresh(tabs: Tab[]): Promise<Tab> {
    const before = proxy!.held()
    proxy!.arm()
    await waitFor('a refresh reply held', () => proxy!.held() > before, 3 * lifetimeSeconds * 1000)
    let holder: Tab | undefined
    await waitFor('the tab that asked', async () => {
      for (const t of tabs) if ((await t.inTransport()) > 0) holder = t
      return holder !== undefined
    })
    return holder!
  }

  /** Closes the tab whose refresh reply is held, then lets the reply go: the other tabs and their version. */
  async function closeHolderMidRefresh(tabs: Tab[]) {
    const holder = await holdNextRefresh(tabs)
    const version = (await holder.state()).version!
    await holder.page.close()
    await sleep(300)
    proxy!.release()
    return { rest: tabs.filter((t) => t !== holder), version }
  }

  const reuseErrors = () =>
    emulator!.stats().refreshes.filter((r) => r.outcome === 'RefreshTokenReuseException').length

  async function outcome(tabs: Tab[], afterVersion: number) {
    await waitFor(
      'every tab on a newer version, or signed out',
      async () => {
        const all = await Promise.all(tabs.map((t) => t.state()))
        return (
          all.every((s) => s.status === 'authenticated' && (s.version ?? 0) > afterVersion) ||
          all.some((s) => s.status === 'unauthenticated')
        )
      },
      6 * lifetimeSeconds * 1000,
    )
    await sleep(500) // a sign-out reaches the other tabs
    const states = await Promise.all(tabs.map((t) => t.state()))
    return {
      signedOut: states.filter((s) => s.status === 'unauthenticated').length,
      reasons: [...new Set(states.map((s) => s.signOutReason).filter((r) => r !== null))],
      reuse: reuseErrors(),
    }
  }

  for (const mode of ['worker', 'lock'] as const) {
    it(`${mode}: the tab that started a refresh is closed between the rotation and the reply`, async () => {
      await start()
      const tabs = await openTabs(mode, 3)
      if (mode === 'worker') expect(await tabs[0]!.inWorker()).toBe(true)
      const { rest, version } = await closeHolderMidRefresh(tabs)
      const result = await outcome(rest, version)
      console.log(`[worker e2e] ${mode}, tab closed mid-refresh: ${JSON.stringify(result)}`)
      if (mode === 'worker') {
        expect(result).toEqual({ signedOut: 0, reasons: [], reuse: 0 })
        // Close every tab and reopen one: the session is in localStorage, and refreshes on.
        for (const t of rest) await t.page.close()
        const reopened = await open(mode)
        const at = (await reopened.state()).version!
        expect((await reopened.state()).status).toBe('authenticated')
        expect(await outcome([reopened], at)).toEqual({ signedOut: 0, reasons: [], reuse: 0 })
      } else {
        expect(result).toMatchObject({ signedOut: 2, reasons: ['reuse'] })
        expect(result.reuse).toBeGreaterThan(0)
      }
    })

    it(`${mode}: the tab that started a refresh is paused (Debugger.pause) while it holds the lock`, async () => {
      await start()
      const tabs = await openTabs(mode, 3)
      const holder = await holdNextRefresh(tabs)
      const version = (await holder.state()).version!
      const cdp = await holder.page.context().newCDPSession(holder.page)
      await cdp.send('Debugger.enable')
      await cdp.send('Debugger.pause')
      await sleep(300) // the page's poll loop runs within 200 ms, and stops there
      proxy!.release()
      const rest = tabs.filter((t) => t !== holder)
      const result = await outcome(rest, version)
      console.log(`[worker e2e] ${mode}, tab paused mid-refresh: ${JSON.stringify(result)}`)
      await cdp.send('Debugger.resume')
      if (mode === 'worker') {
        expect(result).toEqual({ signedOut: 0, reasons: [], reuse: 0 })
        // The paused tab, resumed, follows: its own reply is a version the others already took.
        await waitFor('the resumed tab caught up', async () => {
          const [h, r] = await Promise.all([holder.state(), rest[0]!.state()])
          return h.status === 'authenticated' && h.version === r.version
        })
      } else {
        expect(result).toMatchObject({ signedOut: 2, reasons: ['reuse'] })
      }
    })
  }

  it("the pause test's premise: a frozen lifecycle state does not stop a visible page's timers; Debugger.pause does, while the page keeps its lock", async () => {
    await start()
    const [a, b] = [await open('lock'), await open('lock')]
    await a.page.evaluate(
      "window.ticks = 0; setInterval(() => window.ticks++, 20); void navigator.locks.request('rcr-premise', () => new Promise(() => {}))",
    )
    const ticks = () => a.page.evaluate('window.ticks') as Promise<number>
    const cdp = await a.page.context().newCDPSession(a.page)
    // Frozen: no evaluate meanwhile (a frozen page would not answer); only what ran, read after.
    const beforeFrozen = await ticks()
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' })
    await sleep(400)
    await cdp.send('Page.setWebLifecycleState', { state: 'active' })
    const frozenTicks = (await ticks()) - beforeFrozen
    const beforePause = await ticks()
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.pause')
    await sleep(400)
    const held = (await b.page.evaluate(
      '(async () => (await navigator.locks.query()).held.map((l) => l.name))()',
    )) as string[]
    await cdp.send('Debugger.resume')
    const pausedTicks = (await ticks()) - beforePause
    console.log(
      `[worker e2e] 400 ms frozen: ${frozenTicks} ticks of 20 ms; 400 ms paused: ${pausedTicks}`,
    )
    // Frozen, the timers ran on (~20 ticks): it cannot stand for a stalled tab. Paused, only the
    // ticks around the pause taking effect and the resume (a missed interval fires once, not 20 times).
    expect(frozenTicks).toBeGreaterThanOrEqual(10)
    expect(pausedTicks).toBeLessThanOrEqual(8)
    expect(held).toContain('rcr-premise')
    expect(await ticks()).toBeGreaterThan(beforePause) // and it runs on after the resume
  })

  it('falls back to the lock-based path where SharedWorker is missing', async () => {
    await start()
    const tabs = await openTabs('worker', 2, { noSharedWorker: '1' })
    expect(await Promise.all(tabs.map((t) => t.inWorker()))).toEqual([false, false])
    const version = (await tabs[0]!.state()).version!
    expect(await outcome(tabs, version + 1)).toEqual({ signedOut: 0, reasons: [], reuse: 0 })
  })

  it("refreshToken: 'worker' keeps the refresh token out of storage; the session ends with the last tab", async () => {
    await start()
    const tabs = await openTabs('worker', 2, { refreshToken: 'worker' })
    expect(await tabs[1]!.storedRefreshToken()).toBe('handle')
    const { rest, version } = await closeHolderMidRefresh(tabs)
    expect(await outcome(rest, version)).toEqual({ signedOut: 0, reasons: [], reuse: 0 })
    expect(await rest[0]!.storedRefreshToken()).toBe('handle')
    expect((await rest[0]!.leaks()).jwtInStorage).toBe(true) // the access and ID tokens stay
    // Every tab closed: the worker, and the refresh token with it, are gone.
    await rest[0]!.page.close()
    await sleep(300)
    const reopened = await open('worker', { refreshToken: 'worker' })
    await waitFor(
      'the reopened tab signed out',
      async () => (await reopened.state()).status === 'unauthenticated',
      3 * lifetimeSeconds * 1000,
    )
    expect(reuseErrors()).toBe(0)
  })
})
