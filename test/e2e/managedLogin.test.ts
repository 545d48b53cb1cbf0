/**
 * Managed login in Chromium, end to end through the emulator's real sign-in page: the round trip,
 * two tabs, StrictMode's double callback, a reload of the callback, a tampered state, the user
 * cancelling, and the sign-out reaching Cognito's /logout.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  bundlePage,
  launchChromium,
  waitFor,
} from './support/browser'

const clientId = 'e2eloginclient00000000001'
const user = {
  username: 'alice',
  password: 'Passw0rd!alice',
  attributes: { email: 'alice@example.com' },
}

/** The app's origin: the same page on every path, and its script. */
async function appServer(script: string) {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>login e2e</title></head>' +
    '<body><script src="/bundle.js"></script></body></html>'
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname
    const js = path === '/bundle.js'
    res.writeHead(200, {
      'content-type': js ? 'text/javascript' : 'text/html',
      'cache-control': 'no-store',
    })
    res.end(js ? script : html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const rcr = (page: Page, expression: string) =>
  page.evaluate(`window.rcr && ${expression}`) as Promise<unknown>

async function outcome(page: Page) {
  await waitFor(
    'the callback outcome',
    async () => (await rcr(page, 'window.rcr.outcome')) != null,
    10_000,
  )
  return (await rcr(page, 'window.rcr.outcome')) as {
    ok: boolean
    code?: string
    returnTo?: string
  }
}

/** From the app's start page: sign in through the emulator's form, back to /callback. */
async function signInThroughPage(page: Page, app: string) {
  await page.evaluate(`window.rcr.signIn('/inbox')`).catch(() => undefined)
  await page.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 })
  await page.fill('#username', user.username)
  await page.fill('#password', user.password)
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(`${app}/callback`), { timeout: 10_000 }),
    page.click('button[type=submit]'),
  ])
}

/** Calls of /oauth2/token: code exchanges, as no refresh falls due here (1 h tokens, checked). */
const tokenExchanges = (emu: Emulator) => {
  expect(emu.stats().refreshes).toEqual([])
  return Object.values(emu.stats().calls['oauth2/token'] ?? {}).reduce((a, b) => a + b, 0)
}

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)('managed login in Chromium', () => {
  let browser: Browser
  let app: Awaited<ReturnType<typeof appServer>>
  let emu: Emulator

  beforeAll(async () => {
    app = await appServer(await bundlePage('signIn.ts'))
    emu = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      users: [user],
      clients: [
        {
          clientId,
          callbackURLs: [`${app.origin}/callback`],
          logoutURLs: [`${app.origin}/`],
          refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
        },
      ],
    })
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await emu?.stop()
    await app?.close()
  })

  it('round trip in one tab while another follows; one exchange; a reload of the callback is refused; sign-out reaches /logout', async () => {
    const context = await browser.newContext()
    const [tab1, tab2] = [await context.newPage(), await context.newPage()]
    const start = `${app.origin}/?emu=${encodeURIComponent(emu.url)}`
    await tab1.goto(start)
    await tab2.goto(start)
    expect(await rcr(tab2, 'window.rcr.status()')).toBe('unauthenticated')
    const before = tokenExchanges(emu)

    await signInThroughPage(tab1, app.origin)
    expect(await outcome(tab1)).toEqual({ ok: true, returnTo: '/inbox' })
    expect(new URL(tab1.url()).search).toBe('')
    expect(await rcr(tab1, 'window.rcr.email()')).toBe(user.attributes.email)
    await waitFor(
      'tab 2 follows the sign-in',
      async () => (await rcr(tab2, 'window.rcr.status()')) === 'authenticated',
    )
    expect(tokenExchanges(emu) - before).toBe(1)

    // The back button or a reload brings the callback URL again: refused, the session kept.
    const callbackUrl = await tab1.evaluate('performance.getEntriesByType("navigation")[0].name')
    await tab1.goto(String(callbackUrl))
    expect(await outcome(tab1)).toMatchObject({ ok: false, code: 'StateMismatch' })
    expect(await rcr(tab1, 'window.rcr.status()')).toBe('authenticated')
    expect(tokenExchanges(emu) - before).toBe(1)

    await Promise.all([
      tab1.waitForURL(`${app.origin}/`, { timeout: 10_000 }),
      tab1.evaluate('window.rcr.signOut()').catch(() => undefined),
    ])
    await waitFor(
      'tab 2 signs out too',
      async () => (await rcr(tab2, 'window.rcr.status()')) === 'unauthenticated',
    )
    expect(Object.keys(emu.stats().calls)).toEqual(
      expect.arrayContaining(['oauth2/revoke', 'logout']),
    )
    await context.close()
  }, 60_000)

  it('a tampered state is refused and nothing is stored', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${app.origin}/?emu=${encodeURIComponent(emu.url)}`)
    // An attacker's callback: the emulator's redirect back, with another state.
    await page.route(
      (url) => url.origin === new URL(emu.url).origin && url.pathname === '/login',
      async (route) => {
        if (route.request().method() !== 'POST') return route.continue()
        const response = await route.fetch({ maxRedirects: 0 })
        const location = new URL(response.headers().location ?? '')
        location.searchParams.set('state', 'tampered')
        return route.fulfill({ status: 302, headers: { location: location.toString() } })
      },
    )
    const before = tokenExchanges(emu)
    await signInThroughPage(page, app.origin)
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'StateMismatch' })
    expect(await rcr(page, 'window.rcr.status()')).toBe('unauthenticated')
    expect(tokenExchanges(emu) - before).toBe(0)
    await context.close()
  }, 60_000)

  it('the user cancels on the sign-in page: SignInCancelled', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${app.origin}/?emu=${encodeURIComponent(emu.url)}`)
    await page.evaluate(`window.rcr.signIn('/')`).catch(() => undefined)
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 })
    await page.click('#cancel')
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'SignInCancelled' })
    expect(await rcr(page, 'window.rcr.status()')).toBe('unauthenticated')
    await context.close()
  }, 60_000)
})
