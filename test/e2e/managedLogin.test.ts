/**
 * Managed login in Chromium, end to end through the emulator's real sign-in page: the round trip,
 * two tabs, StrictMode's double callback, a reload of the callback, the back button, a tampered
 * state, a replayed code, a wrong verifier, an unregistered redirect URI, the user cancelling, the
 * popup (signed in, closed, blocked), and the sign-out reaching Cognito's /logout.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  bundlePage,
  launchChromium,
  startPageServer,
  waitFor,
} from './support/browser'

const clientId = 'e2eloginclient00000000001'
const user = {
  username: 'alice',
  password: 'Passw0rd!alice',
  attributes: { email: 'alice@example.com' },
}

const rcr = (page: Page, expression: string) =>
  page.evaluate(`window.rcr && ${expression}`) as Promise<unknown>

async function outcome(page: Page, which: 'outcome' | 'popupOutcome' = 'outcome') {
  await waitFor(
    `the ${which}`,
    async () => (await rcr(page, `window.rcr.${which}`)) != null,
    10_000,
  )
  return (await rcr(page, `window.rcr.${which}`)) as {
    ok: boolean
    code?: string
    message?: string
    returnTo?: string
  }
}

/** The emulator's form, filled and sent, in whichever page shows it. */
async function submitForm(page: Page) {
  await page.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 })
  await page.fill('#username', user.username)
  await page.fill('#password', user.password)
  await page.click('button[type=submit]')
}

/** Rewrites the emulator's redirect back to the app (the reply to the form's POST). */
async function rewriteCallback(page: Page, emuUrl: string, rewrite: (back: URL) => void) {
  await page.route(
    (url) => url.origin === new URL(emuUrl).origin && url.pathname === '/login',
    async (route) => {
      if (route.request().method() !== 'POST') return route.continue()
      const response = await route.fetch({ maxRedirects: 0 })
      const back = new URL(response.headers().location ?? '')
      rewrite(back)
      return route.fulfill({ status: 302, headers: { location: back.toString() } })
    },
  )
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
  let app: Awaited<ReturnType<typeof startPageServer>>
  let emu: Emulator

  beforeAll(async () => {
    // The app's origin: the same page on every path (/, /callback, /not-registered).
    app = await startPageServer(await bundlePage('signIn.ts'), { everyPath: true })
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
    await rewriteCallback(page, emu.url, (back) => back.searchParams.set('state', 'tampered'))
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

  it('the back button after the callback: no second exchange, the session kept, forward again too', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const start = `${app.origin}/?emu=${encodeURIComponent(emu.url)}`
    await page.goto(start)
    const before = tokenExchanges(emu)
    await signInThroughPage(page, app.origin)
    expect(await outcome(page)).toEqual({ ok: true, returnTo: '/inbox' })
    // Back through the emulator's page to the app's start, then forward to the (cleaned) callback.
    await page.goBack()
    await page.goBack()
    await page.waitForURL(start, { timeout: 10_000 })
    await waitFor(
      'the start page signed in',
      async () => (await rcr(page, 'window.rcr.status()')) === 'authenticated',
    )
    await page.goForward()
    await page.goForward()
    await page.waitForURL(`${app.origin}/callback`, { timeout: 10_000 })
    expect(await outcome(page)).toEqual({ ok: true, returnTo: '' })
    expect(await rcr(page, 'window.rcr.status()')).toBe('authenticated')
    expect(tokenExchanges(emu) - before).toBe(1)
    await context.close()
  }, 60_000)

  it('a replayed code is refused at the token endpoint (invalid_grant) and nothing is stored', async () => {
    const start = `${app.origin}/?emu=${encodeURIComponent(emu.url)}`
    // The first sign-in redeems its code.
    const first = await browser.newContext()
    const firstPage = await first.newPage()
    await firstPage.goto(start)
    await signInThroughPage(firstPage, app.origin)
    expect(await outcome(firstPage)).toMatchObject({ ok: true })
    const redeemed = new URL(
      String(await firstPage.evaluate('performance.getEntriesByType("navigation")[0].name')),
    ).searchParams.get('code')
    expect(redeemed).toBeTruthy()
    await first.close()
    // Another sign-in comes back with that code.
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(start)
    await rewriteCallback(page, emu.url, (back) => back.searchParams.set('code', redeemed ?? ''))
    await signInThroughPage(page, app.origin)
    const refused = await outcome(page)
    expect(refused).toMatchObject({ ok: false, code: 'invalid_grant' })
    expect(refused.message).not.toContain(redeemed)
    expect(await rcr(page, 'window.rcr.status()')).toBe('unauthenticated')
    await context.close()
  }, 60_000)

  it('a wrong verifier is refused (invalid_grant) and nothing is stored', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    // Before the callback page's own script: every started sign-in gets another verifier.
    await page.addInitScript(`
      if (location.origin === ${JSON.stringify(app.origin)} && location.pathname === '/callback') {
        for (let i = 0; i < sessionStorage.length; i++) {
          const key = sessionStorage.key(i)
          if (!key || !key.includes('.signIn.')) continue
          const started = JSON.parse(sessionStorage.getItem(key))
          sessionStorage.setItem(key, JSON.stringify({ ...started, verifier: 'x'.repeat(43) }))
        }
      }`)
    await page.goto(`${app.origin}/?emu=${encodeURIComponent(emu.url)}`)
    const before = tokenExchanges(emu)
    await signInThroughPage(page, app.origin)
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'invalid_grant' })
    expect(tokenExchanges(emu) - before).toBe(1)
    expect(await rcr(page, 'window.rcr.status()')).toBe('unauthenticated')
    await context.close()
  }, 60_000)

  it('an unregistered redirect URI: the emulator shows its error page and never comes back', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${app.origin}/?emu=${encodeURIComponent(emu.url)}&redirect=/not-registered`)
    const [reply] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/oauth2/authorize', {
        timeout: 10_000,
      }),
      page.evaluate(`window.rcr.signIn('/')`).catch(() => undefined),
    ])
    expect(reply.status()).toBe(400)
    await page.waitForLoadState()
    expect(await page.textContent('body')).toContain('not one of the app client')
    expect(new URL(page.url()).origin).toBe(new URL(emu.url).origin)
    await context.close()
  }, 60_000)

  it('popup: signed in in the popup, completed in the app with one exchange, the app never leaves its page', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const start = `${app.origin}/?emu=${encodeURIComponent(emu.url)}`
    await page.goto(start)
    const before = tokenExchanges(emu)
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#popup')])
    await Promise.all([popup.waitForEvent('close', { timeout: 10_000 }), submitForm(popup)])
    expect(await outcome(page, 'popupOutcome')).toEqual({ ok: true, returnTo: '/popup' })
    expect(page.url()).toBe(start)
    expect(await rcr(page, 'window.rcr.email()')).toBe(user.attributes.email)
    expect(tokenExchanges(emu) - before).toBe(1)
    await context.close()
  }, 60_000)

  it('popup: closed by the user is SignInCancelled; blocked is PopupBlocked; nothing stored', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${app.origin}/?emu=${encodeURIComponent(emu.url)}`)
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#popup')])
    await popup.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 })
    await popup.close()
    expect(await outcome(page, 'popupOutcome')).toMatchObject({
      ok: false,
      code: 'SignInCancelled',
    })
    // A popup blocker: window.open gives null.
    await page.evaluate('window.open = () => null')
    await page.click('#popup')
    expect(await outcome(page, 'popupOutcome')).toMatchObject({ ok: false, code: 'PopupBlocked' })
    expect(await rcr(page, 'window.rcr.status()')).toBe('unauthenticated')
    await context.close()
  }, 60_000)
})
