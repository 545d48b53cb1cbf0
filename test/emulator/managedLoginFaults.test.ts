/** Fault injection at managed login's endpoints, as at /oauth2/token. */
import { describe, expect, it } from 'vitest'
import { start, stopEmulatorsAfterEach, user } from './helpers'
import { Browser, authorizeUrl, callbackParams, formOf, spa } from './loginHelpers'

stopEmulatorsAfterEach()

describe('managed login under faults', () => {
  it('drops, throttles, fails and serves proxy pages at the authorize endpoint', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const url = authorizeUrl(emu, { state: 's' })
    emu.faults.failNext(
      { kind: 'drop' },
      { kind: 'throttle', retryAfterSeconds: 4 },
      { kind: 'error', code: 'InternalErrorException' },
      { kind: 'html', status: 503 },
    )
    await expect(new Browser().get(url)).rejects.toThrow()
    const throttled = await new Browser().get(url)
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '4'])
    expect(throttled.location).toBeUndefined()
    expect((await new Browser().get(url)).status).toBe(500)
    const proxy = await new Browser().get(url)
    expect([proxy.status, proxy.text]).toEqual([
      503,
      expect.stringContaining('Service Temporarily'),
    ])
    expect((await new Browser().get(url)).status).toBe(302)
    expect(emu.stats().calls['oauth2/authorize']).toMatchObject({
      dropped: 1,
      TooManyRequestsException: 1,
      InternalErrorException: 1,
      html: 1,
      ok: 1,
    })
  })

  it('targets one endpoint, and a lost reply still signs the user in', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const browser = new Browser()
    const form = await browser.get((await browser.get(authorizeUrl(emu, {}))).location ?? '')
    const { action, csrf } = formOf(form.text)
    emu.faults.set({ operations: ['login'] })
    emu.faults.failNext({ kind: 'lostReply' })
    // Faults for `login` leave the other endpoints alone.
    expect((await new Browser().get(authorizeUrl(emu, {}))).status).toBe(302)
    await expect(
      browser.post(new URL(action, emu.url).toString(), {
        username: user.username,
        password: user.password,
        _csrf: csrf,
      }),
    ).rejects.toThrow()
    // The sign-in ran on the server, but its reply (the cookie and the code) never arrived.
    expect(browser.cookies.has('cognito')).toBe(false)
    expect(emu.stats().calls.login).toMatchObject({ ok: 1, lostReply: 1 })
    emu.faults.set({ operations: ['logout'] })
    emu.faults.failNext({ kind: 'error', code: 'InternalErrorException' })
    const logout = await browser.get(`${emu.url}/logout?client_id=${spa.clientId}&logout_uri=x`)
    expect(logout.status).toBe(500)
    const after = await browser.get(authorizeUrl(emu, { prompt: 'none' }))
    expect(callbackParams(after).get('error')).toBe('login_required')
  })
})
