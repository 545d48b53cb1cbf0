/** Managed login's refusals: codes, verifiers, redirect and sign-out URLs, cancel, prompt=none. */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { call, start, stopEmulatorsAfterEach, user } from './helpers'
import {
  Browser,
  authorizeUrl,
  callback,
  callbackParams,
  exchange,
  formOf,
  pkce,
  signInThroughForm,
  signedOut,
  spa,
} from './loginHelpers'

stopEmulatorsAfterEach()

const credentials = { username: user.username, password: user.password }

async function codeFor(emu: Emulator, challenge: string, browser = new Browser()) {
  const posted = await signInThroughForm(
    emu,
    browser,
    { code_challenge: challenge, code_challenge_method: 'S256', state: 'abc' },
    credentials,
  )
  return callbackParams(posted).get('code') ?? ''
}

describe('managed login refusals', () => {
  it('refuses a wrong verifier, and the code is spent by the attempt', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const { verifier, challenge } = pkce()
    const code = await codeFor(emu, challenge)
    const form = { client_id: spa.clientId, code, redirect_uri: callback }
    const wrong = await exchange(emu, { ...form, code_verifier: pkce().verifier })
    expect(wrong).toEqual({ status: 400, json: { error: 'invalid_grant' } })
    expect((await exchange(emu, { ...form, code_verifier: verifier })).json).toEqual({
      error: 'invalid_grant',
    })
    const missing = await exchange(emu, { ...form, code: await codeFor(emu, challenge) })
    expect(missing.json).toEqual({ error: 'invalid_grant' })
  })

  it('refuses a replayed code and revokes what the first redemption issued', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const { verifier, challenge } = pkce()
    const form = { client_id: spa.clientId, redirect_uri: callback, code_verifier: verifier }
    const code = await codeFor(emu, challenge)
    const first = await exchange(emu, { ...form, code })
    expect(first.status).toBe(200)
    const replay = await exchange(emu, { ...form, code })
    expect(replay).toEqual({ status: 400, json: { error: 'invalid_grant' } })
    const refresh = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: spa.clientId,
      RefreshToken: first.json.refresh_token,
    })
    expect(refresh.json.message).toBe('Refresh Token has been revoked')
    // Two redemptions at once: exactly one gets tokens.
    const racing = await codeFor(emu, challenge)
    const both = await Promise.all([
      exchange(emu, { ...form, code: racing }),
      exchange(emu, { ...form, code: racing }),
    ])
    expect(both.map((r) => r.status).sort()).toEqual([200, 400])
  })

  it('expires a code on the emulator clock, and binds it to the redirect_uri', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const { verifier, challenge } = pkce()
    const form = { client_id: spa.clientId, redirect_uri: callback, code_verifier: verifier }
    const late = await codeFor(emu, challenge)
    emu.faults.set({ clockOffsetMs: 300_000 })
    expect((await exchange(emu, { ...form, code: late })).json).toEqual({ error: 'invalid_grant' })
    const code = await codeFor(emu, challenge)
    emu.faults.set({ clockOffsetMs: 599_000 }) // 299 s after it was issued
    const other = await exchange(emu, { ...form, code, redirect_uri: `${callback}/other` })
    expect(other.json).toEqual({ error: 'invalid_grant' })
    const short = await start({
      users: [user],
      clients: [spa],
      managedLogin: { codeValiditySeconds: 1 },
    })
    const shortCode = await codeFor(short, challenge)
    short.faults.set({ clockOffsetMs: 1_000 })
    expect((await exchange(short, { ...form, code: shortCode })).json).toEqual({
      error: 'invalid_grant',
    })
  })

  it('answers an unregistered redirect_uri or client with an HTML page, never a redirect', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    for (const params of [
      { redirect_uri: 'http://127.0.0.1:9/evil' },
      { redirect_uri: `${callback}/` },
      { client_id: 'nosuchclient' },
    ]) {
      for (const path of ['/oauth2/authorize', '/login']) {
        const url = authorizeUrl(emu, params).replace('/oauth2/authorize', path)
        const page = await new Browser().get(url)
        expect(page.status, url).toBe(400)
        expect(page.location).toBeUndefined()
        expect(page.headers.get('content-type')).toBe('text/html;charset=UTF-8')
        expect(page.text).toMatch(/redirect_mismatch|invalid_client/)
        expect(page.text).not.toContain('evil')
      }
    }
  })

  it('sends the other request errors back to the app with the state', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const { challenge } = pkce()
    const cases: Array<[Record<string, string>, string]> = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'openid admin' }, 'invalid_scope'],
      [{ code_challenge: challenge, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: challenge }, 'invalid_request'],
      [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
      [{ prompt: 'none' }, 'login_required'],
    ]
    for (const [params, error] of cases) {
      const reply = await new Browser().get(authorizeUrl(emu, { state: 'x+y=z', ...params }))
      const query = callbackParams(reply)
      expect([query.get('error'), query.get('state')], JSON.stringify(params)).toEqual([
        error,
        'x+y=z',
      ])
      expect(query.get('code')).toBeNull()
    }
  })

  it('offers a cancel link that returns access_denied with the state', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const browser = new Browser()
    const form = await browser.get(
      (await browser.get(authorizeUrl(emu, { state: 'tampered"<x>' }))).location ?? '',
    )
    expect(form.text).not.toContain('tampered"<x>') // escaped in the page
    const href = /id="cancel" href="([^"]+)"/.exec(form.text)?.[1] ?? ''
    const cancel = new URL(href.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n)))
    expect(`${cancel.origin}${cancel.pathname}`).toBe(callback)
    expect(cancel.searchParams.get('error')).toBe('access_denied')
    expect(cancel.searchParams.get('state')).toBe('tampered"<x>')
    // A form POST without the page's CSRF token signs nobody in.
    const { action } = formOf(form.text)
    const forged = await new Browser().post(new URL(action, emu.url).toString(), {
      ...credentials,
      _csrf: 'guess',
    })
    expect(forged.status).toBe(403)
    expect(forged.location).toBeUndefined()
  })

  it('signs out to a registered logout_uri only, and ends the session', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const browser = new Browser()
    callbackParams(await signInThroughForm(emu, browser, {}, credentials))
    expect(browser.cookies.has('cognito')).toBe(true)
    const bad = await browser.get(
      `${emu.url}/logout?client_id=${spa.clientId}&logout_uri=${encodeURIComponent('http://127.0.0.1:9/x')}`,
    )
    expect([bad.status, bad.location]).toEqual([400, undefined])
    expect(bad.text).toContain('redirect_mismatch')
    expect(browser.cookies.has('cognito')).toBe(true)
    const out = await browser.get(
      `${emu.url}/logout?client_id=${spa.clientId}&logout_uri=${encodeURIComponent(signedOut)}`,
    )
    expect([out.status, out.location]).toEqual([302, signedOut])
    expect(out.headers.getSetCookie().join()).toMatch(/cognito=; .*HttpOnly.*Max-Age=0/)
    expect(browser.cookies.has('cognito')).toBe(false)
    const silent = await browser.get(authorizeUrl(emu, { prompt: 'none', state: 's' }))
    expect(callbackParams(silent).get('error')).toBe('login_required')
  })

  it('signs out and back to the sign-in page with redirect_uri and response_type', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const browser = new Browser()
    callbackParams(await signInThroughForm(emu, browser, {}, credentials))
    const query = `client_id=${spa.clientId}&response_type=code&redirect_uri=${encodeURIComponent(callback)}`
    const out = await browser.get(`${emu.url}/logout?${query}`)
    expect(out.status).toBe(302)
    expect(out.location).toBe(`${emu.url}/login?${query}`)
    expect((await browser.get(out.location ?? '')).text).toContain('<form method="post"')
    const bad = await browser.get(`${emu.url}/logout?${query.replace('callback', 'elsewhere')}`)
    expect([bad.status, bad.location]).toEqual([400, undefined])
  })
})
