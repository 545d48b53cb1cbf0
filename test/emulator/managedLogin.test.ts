/** Managed login over HTTP: authorize → the form → the code → tokens → refresh, and sessions. */
import { describe, expect, it } from 'vitest'
import { call, decode, start, stopEmulatorsAfterEach, user } from './helpers'
import {
  Browser,
  callback,
  callbackParams,
  confidential,
  exchange,
  formOf,
  pkce,
  signInThroughForm,
  spa,
} from './loginHelpers'

stopEmulatorsAfterEach()

const credentials = { username: user.username, password: user.password }

describe('managed login', () => {
  it('signs in through the form, redeems the code with the verifier, and refreshes', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const browser = new Browser()
    const { verifier, challenge } = pkce()
    const state = 'st-1 / ü'
    const authorize = await browser.get(
      `${emu.url}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: spa.clientId,
        redirect_uri: callback,
        scope: 'openid email',
        state,
        nonce: 'n-0S6_WzA2Mj',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        login_hint: user.username,
      }).toString()}`,
    )
    expect(authorize.status).toBe(302)
    expect(new URL(authorize.location ?? '').pathname).toBe('/login')
    const form = await browser.get(authorize.location ?? '')
    expect(form.headers.get('content-type')).toBe('text/html;charset=UTF-8')
    expect(form.headers.get('x-frame-options')).toBe('DENY')
    expect(form.text).toContain(`value="${user.username}"`) // login_hint prefills
    expect(form.text).toContain('Test SPA')
    const { action, csrf } = formOf(form.text)
    const wrong = await browser.post(new URL(action, emu.url).toString(), {
      username: user.username,
      password: 'not it',
      _csrf: csrf,
    })
    expect(wrong.status).toBe(200)
    expect(wrong.text).toContain('Incorrect username or password.')
    const retry = formOf(wrong.text)
    const posted = await browser.post(new URL(retry.action, emu.url).toString(), {
      ...credentials,
      _csrf: retry.csrf,
    })
    const params = callbackParams(posted)
    expect(params.get('state')).toBe(state)
    const code = params.get('code') ?? ''
    expect(code).toMatch(/^[0-9a-f-]{36}$/)
    expect(posted.headers.getSetCookie().join('\n')).toMatch(/^cognito=[^;]+; .*HttpOnly/m)

    const tokens = await exchange(emu, {
      client_id: spa.clientId,
      code,
      redirect_uri: callback,
      code_verifier: verifier,
    })
    expect(tokens.status).toBe(200)
    expect(Object.keys(tokens.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'token_type',
    ])
    const id = decode(tokens.json.id_token as string).payload
    expect(id).toMatchObject({ nonce: 'n-0S6_WzA2Mj', aud: spa.clientId, iss: emu.issuer })
    expect(id.exp).toBe((id.iat as number) + 3600)
    expect(typeof id.at_hash).toBe('string')
    const access = decode(tokens.json.access_token as string).payload
    expect(access.scope).toBe('openid email')

    // The refresh token works on both refresh paths, and rotation is as for any sign-in.
    const viaApi = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: spa.clientId,
      RefreshToken: tokens.json.refresh_token,
    })
    expect(viaApi.status).toBe(200)
    const result = viaApi.json.AuthenticationResult as Record<string, string>
    expect(result.RefreshToken).not.toBe(tokens.json.refresh_token)
    expect(decode(result.AccessToken ?? '').payload.scope).toBe('openid email')
    expect(decode(result.IdToken ?? '').payload.nonce).toBeUndefined()
    const viaOAuth = await fetch(emu.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: spa.clientId,
        refresh_token: result.RefreshToken ?? '',
      }).toString(),
    })
    expect(viaOAuth.status).toBe(200)
    const old = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: spa.clientId,
      RefreshToken: tokens.json.refresh_token,
    })
    expect(old.json.__type).toBe('RefreshTokenReuseException')
    // Nothing on the pages or in the redirect is token material.
    for (const text of [form.text, wrong.text, posted.text, posted.location ?? '']) {
      for (const t of [tokens.json.id_token, tokens.json.access_token, tokens.json.refresh_token]) {
        expect(text).not.toContain(t as string)
      }
      expect(text).not.toContain(user.password)
    }
    expect(emu.stats().refreshes.map((r) => r.operation)).toEqual([
      'GetTokensFromRefreshToken',
      'oauth2/token',
      'GetTokensFromRefreshToken',
    ])
  })

  it('signs in again from the session cookie, and prompt=login shows the form anyway', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const browser = new Browser()
    callbackParams(await signInThroughForm(emu, browser, {}, credentials))
    const again = await browser.get(
      `${emu.url}/oauth2/authorize?response_type=code&client_id=${spa.clientId}&redirect_uri=${encodeURIComponent(callback)}&state=s2&prompt=none`,
    )
    expect(callbackParams(again).get('state')).toBe('s2')
    expect(callbackParams(again).get('code')).not.toBeNull()
    const forced = await browser.get(
      `${emu.url}/oauth2/authorize?response_type=code&client_id=${spa.clientId}&redirect_uri=${encodeURIComponent(callback)}&prompt=login`,
    )
    expect(new URL(forced.location ?? '').pathname).toBe('/login')
  })

  it('checks a confidential client’s secret, by Basic header or in the body', async () => {
    const emu = await start({ users: [user], clients: [confidential] })
    const signIn = async (scope = 'openid') =>
      callbackParams(
        await signInThroughForm(
          emu,
          new Browser(),
          { client_id: confidential.clientId, scope },
          credentials,
        ),
      ).get('code') ?? ''
    const form = { client_id: confidential.clientId, redirect_uri: callback }
    expect((await exchange(emu, { ...form, code: await signIn() })).json).toEqual({
      error: 'invalid_client',
    })
    const basic = Buffer.from(`${confidential.clientId}:${confidential.clientSecret}`)
    const viaHeader = await exchange(
      emu,
      { code: await signIn(), redirect_uri: callback },
      { authorization: `Basic ${basic.toString('base64')}` },
    )
    expect(viaHeader.status).toBe(200)
    const viaBody = await exchange(emu, {
      ...form,
      code: await signIn('email'),
      client_secret: confidential.clientSecret,
    })
    expect(viaBody.status).toBe(200)
    // Without openid in the scope there is no ID token, as in Cognito.
    expect(viaBody.json.id_token).toBeUndefined()
    expect(decode(viaBody.json.access_token as string).payload.scope).toBe('email')
  })

  it('lists the authorize endpoint and S256 in discovery', async () => {
    const emu = await start({ users: [user], clients: [spa] })
    const doc = (await (
      await fetch(`${emu.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>
    expect(doc.authorization_endpoint).toBe(`${emu.url}/oauth2/authorize`)
    expect(doc.code_challenge_methods_supported).toEqual(['S256'])
    expect(doc.end_session_endpoint).toBe(`${emu.url}/logout`)
  })
})
