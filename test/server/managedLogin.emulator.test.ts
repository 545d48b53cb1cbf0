/**
 * Managed login through the server kit, over real HTTP: the server's `sign-in` route sends the
 * browser (a cookie-keeping fetch) to the emulator's page, the form signs in, the server's
 * `callback` exchanges the code with the client secret and sets the session cookie; the page then
 * refreshes through the same server. The code, verifier and tokens never reach the page.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuthHandlers, nodeHandler, type AuthHandlers } from '../../src/server'
import { start, stopEmulatorsAfterEach, user } from '../emulator/helpers'
import { Browser, followAuthorize } from '../emulator/loginHelpers'

stopEmulatorsAfterEach()
const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

const clientId = 'bffloginclient00000000001'
const clientSecret = 'abffclientsecretoftwentyfourplus0123'
const credentials = { username: user.username, password: user.password }

async function setup() {
  // The server listens first: its port is in the callback URL the emulator registers.
  const ref: { handlers?: AuthHandlers } = {}
  const server = createServer(
    nodeHandler((request) => (ref.handlers as AuthHandlers).handle(request)),
  )
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const redirectUri = `${origin}/api/auth/callback`
  const emu = await start({
    users: [user],
    clients: [
      {
        clientId,
        clientSecret,
        callbackURLs: [redirectUri],
        refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
      },
    ],
  })
  ref.handlers = createAuthHandlers({
    clientId,
    clientSecret,
    endpoint: emu.url,
    secrets: ['a-session-cookie-secret-of-forty-chars-aaaa'],
    cookie: { path: '/api/auth' },
    managedLogin: { domain: emu.url, redirectUri, scopes: ['openid', 'email'] },
  })
  const exchanges = () =>
    Object.values(emu.stats().calls['oauth2/token'] ?? {}).reduce((a, b) => a + b, 0)
  return { emu, origin, exchanges }
}

/** From the server's sign-in route through the emulator's form: the redirect to the callback. */
async function throughManagedLogin(
  browser: Browser,
  origin: string,
  emuUrl: string,
  returnTo = '/inbox',
) {
  const start = await browser.get(
    `${origin}/api/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`,
  )
  expect(start.status).toBe(302)
  const started =
    start.headers.getSetCookie().find((c) => c.startsWith('rcr-session-sign-in=')) ?? ''
  expect(started).toMatch(/; Path=\/api\/auth; HttpOnly; Secure; SameSite=Lax; Max-Age=600$/)
  const authorize = new URL(start.location ?? '')
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${emuUrl}/oauth2/authorize`)
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
  return followAuthorize(browser, authorize.toString(), emuUrl, credentials)
}

describe('managed login through the server kit', () => {
  it('round trip: the callback sets the session cookie and goes back; the page refreshes through the server', async () => {
    const { emu, origin, exchanges } = await setup()
    const browser = new Browser()
    const back = await throughManagedLogin(browser, origin, emu.url)
    expect(back.startsWith(`${origin}/api/auth/callback?`)).toBe(true)
    const done = await browser.get(back)
    expect(done.status).toBe(302)
    expect(done.location).toBe('/inbox')
    expect(done.text).toBe('')
    const cookies = done.headers.getSetCookie()
    expect(
      cookies.some((c) =>
        /^rcr-session=[\w.-]+; Path=\/api\/auth; HttpOnly; Secure; SameSite=Strict/.test(c),
      ),
    ).toBe(true)
    expect(cookies.some((c) => /^rcr-session-sign-in=;.*Max-Age=0/.test(c))).toBe(true)
    expect(exchanges()).toBe(1)

    const refreshed = await browser.request(`${origin}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'x-requested-with': 'fetch', origin },
    })
    expect(refreshed.status).toBe(200)
    const body = JSON.parse(refreshed.text) as Record<string, string>
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'idToken', 'tokenType'])
    const claims = JSON.parse(
      Buffer.from(body.idToken?.split('.')[1] ?? '', 'base64url').toString(),
    )
    expect(claims.email).toBe(user.attributes.email)

    // The callback again (back button, reload): refused, the session cookie untouched.
    const again = await browser.get(back)
    expect(again.location).toBe('/?sign_in_error=StateMismatch')
    expect(again.headers.getSetCookie().some((c) => c.startsWith('rcr-session='))).toBe(false)
    expect(exchanges()).toBe(1)
  })

  it('a tampered state, a callback without a started sign-in, and a cancel: back to / with the reason, no exchange', async () => {
    const { emu, origin, exchanges } = await setup()
    const browser = new Browser()
    const back = new URL(await throughManagedLogin(browser, origin, emu.url))
    const forged = new URL(back)
    forged.searchParams.set('state', 'forged')
    expect((await browser.get(forged.toString())).location).toBe('/?sign_in_error=StateMismatch')
    const stranger = new Browser() // no sign-in cookie: another browser, or a link from elsewhere
    expect((await stranger.get(back.toString())).location).toBe('/?sign_in_error=StateMismatch')
    expect(exchanges()).toBe(0)

    const canceller = new Browser()
    const start = await canceller.get(`${origin}/api/auth/sign-in`)
    const login = await canceller.get(start.location ?? '')
    const form = await canceller.get(login.location ?? '')
    const cancel = /id="cancel" href="([^"]+)"/.exec(form.text)?.[1] ?? ''
    const cancelled = cancel.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n))
    expect((await canceller.get(cancelled)).location).toBe('/?sign_in_error=SignInCancelled')
    expect(exchanges()).toBe(0)
  })

  it('returnTo stays on this site', async () => {
    const { emu, origin } = await setup()
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const browser = new Browser()
      const back = await throughManagedLogin(browser, origin, emu.url, returnTo)
      expect((await browser.get(back)).location).toBe('/')
    }
  })
})
