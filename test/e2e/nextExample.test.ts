/**
 * examples/nextjs, built with `next build`, started with `next start` and driven in Chromium
 * against the emulator: managed login through the server, the profile rendered on the server with
 * the user's email, the cookies' flags, the refresh token in no response body, no page-readable
 * cookie and no log, two tabs refreshing once through the backend, an API called with
 * useAuthFetch, and sign-out reaching every tab.
 */
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/platform/clock'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import { cookieSealer } from '../../src/server/cookie'
import { buildApp, freePort, installApp, type RunningApp, startApp } from '../next/support'
import { repoRoot } from '../package/support'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  launchChromium,
  waitFor,
} from './support/browser'

const example = join(repoRoot, 'examples', 'nextjs')
const clientId = 'nextexampleclient00000001'
const clientSecret = 'anextexampleclientsecret0123456789'
const sessionSecret = 'an-example-session-secret-of-forty-chars-x'
const user = {
  username: 'alice',
  password: 'Passw0rd!alice',
  attributes: { email: 'alice@example.com', email_verified: 'true' },
}
/** Short tokens, so the tabs' proactive refresh comes within the test. */
const accessTokenSeconds = 30

if (!browserAvailable && !browserRequired) announceSkipOnce()

describe.skipIf(!browserAvailable && !browserRequired)('examples/nextjs in Chromium', () => {
  let emu: Emulator
  let app: RunningApp
  let browser: Browser

  beforeAll(async () => {
    await installApp(example)
    await buildApp(example)
    const port = await freePort()
    const origin = `http://127.0.0.1:${port}`
    emu = await startEmulator({
      host: '127.0.0.1',
      port: 0,
      users: [user],
      clients: [
        {
          clientId,
          clientSecret,
          callbackURLs: [`${origin}/api/auth/callback`],
          accessTokenValiditySeconds: accessTokenSeconds,
          idTokenValiditySeconds: accessTokenSeconds,
          refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
        },
      ],
    })
    app = await startApp(example, port, {
      COGNITO_ENDPOINT: emu.url,
      COGNITO_DOMAIN: emu.url,
      COGNITO_USER_POOL_ID: emu.userPoolId,
      COGNITO_CLIENT_ID: clientId,
      COGNITO_CLIENT_SECRET: clientSecret,
      SESSION_SECRET: sessionSecret,
      APP_ORIGIN: origin,
    })
    browser = await launchChromium()
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    await emu?.stop()
  })

  /** Every response body the pages of `context` received, for the refresh-token check. */
  function recordBodies(context: BrowserContext): string[] {
    const bodies: string[] = []
    context.on('response', (response) => {
      if (response.status() >= 300 && response.status() < 400) return
      void response
        .text()
        .then((text) => bodies.push(text))
        .catch(() => undefined)
    })
    return bodies
  }

  async function signIn(page: Page) {
    await page.goto(app.url)
    await page.click('#sign-in')
    await page.waitForSelector('#username')
    await page.fill('#username', user.username)
    await page.fill('#password', user.password)
    await Promise.all([page.waitForURL(`${app.url}/profile`), page.click('button[type=submit]')])
  }

  const refreshes = () =>
    emu.stats().refreshes.filter((r) => r.operation === 'GetTokensFromRefreshToken')

  it('signs in, renders the profile on the server, refreshes once for two tabs, and signs out everywhere', async () => {
    const context = await browser.newContext()
    const bodies = recordBodies(context)
    const refreshPosts: string[] = []
    context.on('request', (request) => {
      if (request.url().endsWith('/api/auth/refresh')) refreshPosts.push(request.url())
    })
    // What the pages reported, for the failure message: an assertion alone says too little here.
    const reports: string[] = []
    context.on('page', (page) => {
      page.on('console', (m) => reports.push(`console.${m.type()}: ${m.text()}`))
      page.on('pageerror', (e) => reports.push(`pageerror: ${e.message}`))
    })
    context.on('response', (r) => {
      if (r.url().includes('/api/'))
        reports.push(`${r.request().method()} ${r.url()} ${r.status()}`)
    })
    const authenticated = (page: Page) =>
      page
        .waitForSelector('#client-status:text("client: authenticated")', { timeout: 15_000 })
        .catch((error: Error) => {
          throw new Error(`${error.message}\n${reports.join('\n')}\n${app.log()}`)
        })
    const tab1 = await context.newPage()
    await signIn(tab1)

    // Server-rendered: the HTML itself carries the email, before any script runs.
    const html = await (await context.request.get(`${app.url}/profile`)).text()
    expect(html).toContain('<strong id="email">alice@example.com</strong>')

    // The cookies: the refresh token sealed and Strict, the tokens Lax, none readable by scripts.
    const cookies = await context.cookies()
    const byName = Object.fromEntries(cookies.map((c) => [c.name, c]))
    expect(byName['rcr-session']).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    })
    for (const name of ['rcr-session-access', 'rcr-session-id']) {
      expect(byName[name]).toMatchObject({
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        path: '/',
      })
    }
    expect(await tab1.evaluate(() => document.cookie)).toBe('')

    // The client components: signed in from the token cookies, no refresh on load.
    await authenticated(tab1)
    await tab1.click('#call-api')
    await tab1.waitForSelector('#api:text("API answered 200")')
    const tab2 = await context.newPage()
    await tab2.goto(`${app.url}/profile`)
    await authenticated(tab2)
    expect(refreshes()).toHaveLength(0)

    // Both tabs' clients schedule a refresh before the 30 s token lapses: one goes, for both.
    await waitFor('the proactive refresh', async () => refreshes().length >= 1, 40_000)
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    expect(refreshes()).toHaveLength(1)
    expect(refreshPosts).toHaveLength(1)
    expect(refreshes()[0]?.rotated).toBe(true)

    // The refresh tokens of the session (before and after rotation) are in no body, no log.
    const sealer = cookieSealer([sessionSecret], systemClock)
    const sealed = (await context.cookies()).find((c) => c.name === 'rcr-session')?.value ?? ''
    const opened = await sealer.open(sealed)
    expect(typeof opened?.rt).toBe('string')
    const refreshToken = String(opened?.rt)
    for (const body of bodies) expect(body).not.toContain(refreshToken)
    expect(app.log()).not.toContain(refreshToken)
    expect(app.log()).not.toContain(clientSecret)
    expect(await tab2.evaluate(() => document.cookie)).toBe('')

    // Sign-out in one tab: revoked, every cookie cleared, the other tab follows.
    await Promise.all([tab1.waitForURL(`${app.url}/`), tab1.click('#sign-out')])
    await tab1.waitForSelector('#sign-in')
    // (The emulator's own managed-login cookies stay: cookies are per host, not per port.)
    const ours = (await context.cookies()).filter((c) => c.name.startsWith('rcr-'))
    expect(ours.map((c) => c.name)).toEqual([])
    await tab2.waitForSelector('#client-status:text("client: unauthenticated")')
    const after = await context.request.get(`${app.url}/profile`, { maxRedirects: 0 })
    expect(after.status()).toBe(307)
    expect(after.headers().location).toContain('/api/auth/sign-in')
    expect(emu.stats().calls.RevokeToken?.ok ?? emu.stats().calls['oauth2/revoke']?.ok).toBe(1)
    await context.close()
  }, 180_000)
})
