/**
 * `getSession` against the emulator: the token cookies the handlers set, verified with
 * aws-jwt-verify against the emulator's JWKS over HTTP; refreshing only when asked (where the
 * reply can set cookies), once for many concurrent requests; forged, foreign and dead sessions.
 */
import { describe, expect, it } from 'vitest'
import type { AuthenticationResult } from '../../src/core/tokens'
import { type AuthHandlersOptions, createAuthHandlers } from '../../src/server'
import { ManualClock } from '../helpers/manualClock'
import { call, secretClient, start, stopEmulatorsAfterEach, user } from '../emulator/helpers'

stopEmulatorsAfterEach()

const secret = 'a-session-cookie-secret-of-forty-chars-aaaa'
const client = {
  ...secretClient,
  refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
} as const

async function setup(extra: Partial<AuthHandlersOptions> = {}) {
  const emu = await start({ users: [user], clients: [client] })
  const handlers = createAuthHandlers({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    endpoint: emu.url,
    secrets: [secret],
    session: { userPoolId: emu.userPoolId },
    ...extra,
  })
  const signIn = (): Promise<AuthenticationResult> => emu.signIn({ clientId: client.clientId })
  const refreshCalls = () =>
    emu.stats().refreshes.filter((r) => r.operation === 'GetTokensFromRefreshToken').length
  return { emu, handlers, signIn, refreshCalls }
}

/** The browser's cookie jar: what a list of `Set-Cookie` leaves, as a `Cookie` header. */
function jar(setCookie: readonly string[], before: Record<string, string> = {}) {
  const kept = { ...before }
  for (const line of setCookie) {
    const [pair = ''] = line.split(';')
    const at = pair.indexOf('=')
    const name = pair.slice(0, at)
    if (/Max-Age=0(;|$)/.test(line)) delete kept[name]
    else kept[name] = pair.slice(at + 1)
  }
  return kept
}
const header = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')
const page = (cookies: Record<string, string>) =>
  new Request('https://app.example.com/profile', { headers: { cookie: header(cookies) } })

describe('getSession', () => {
  it('reads the signed-in user from the token cookies, HttpOnly, Lax and for the token’s life', async () => {
    const { handlers, signIn, refreshCalls } = await setup()
    const result = await signIn()
    const set = (await handlers.signedIn(result)).headers.getSetCookie()
    expect(set).toHaveLength(3)
    expect(set[1]).toMatch(
      /^rcr-session-access=ey[\w.-]+; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=3600$/,
    )
    expect(set[2]).toMatch(
      /^rcr-session-id=ey[\w.-]+; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=3600$/,
    )
    expect(set.join()).not.toContain(result.RefreshToken)

    const session = await handlers.getSession(page(jar(set)))
    expect(session.status).toBe('signedIn')
    if (session.status !== 'signedIn') return
    expect(session.claims.username).toBe(user.username)
    expect(session.claims.token_use).toBe('access')
    expect(session.idClaims?.email).toBe(user.attributes.email)
    expect(session.accessToken).toBe(result.AccessToken)
    expect(session.setCookie).toEqual([])
    // Next's cookies() shape works the same way.
    const cookies = jar(set)
    const store = {
      get: (name: string) => (name in cookies ? { value: cookies[name] ?? '' } : undefined),
    }
    expect((await handlers.getSession(store)).status).toBe('signedIn')
    expect(refreshCalls()).toBe(0)
  })

  it('says signed out, and why, without refreshing where it was not asked to', async () => {
    const { handlers, signIn, refreshCalls } = await setup()
    expect(await handlers.getSession(page({}))).toEqual({
      status: 'signedOut',
      reason: 'noSession',
      setCookie: [],
    })
    const cookies = jar((await handlers.signedIn(await signIn())).headers.getSetCookie())
    delete cookies['rcr-session-access'] // the browser dropped it as it expired
    expect(await handlers.getSession(page(cookies))).toMatchObject({
      status: 'signedOut',
      reason: 'expired',
    })
    expect(refreshCalls()).toBe(0)
  })

  it('refreshes where asked, once for many requests at once, and hands back every cookie to set', async () => {
    const { handlers, signIn, refreshCalls } = await setup()
    const cookies = jar((await handlers.signedIn(await signIn())).headers.getSetCookie())
    delete cookies['rcr-session-access']
    const sessions = await Promise.all(
      Array.from({ length: 6 }, () => handlers.getSession(page(cookies), { refresh: true })),
    )
    expect(refreshCalls()).toBe(1)
    for (const session of sessions) {
      expect(session.status).toBe('signedIn')
      expect(session.setCookie.map((c) => c.split('=')[0])).toEqual([
        'rcr-session',
        'rcr-session-access',
        'rcr-session-id',
      ])
    }
    // The rotated refresh token went into the new sealed cookie: the next refresh spends it.
    const next = jar(sessions[0]?.setCookie ?? [], cookies)
    expect(next['rcr-session']).not.toBe(cookies['rcr-session'])
    expect((await handlers.getSession(page(next))).status).toBe('signedIn')
  })

  it('refreshes an access token about to expire, on the injected clock', async () => {
    const clock = new ManualClock(Date.now())
    const { handlers, signIn, refreshCalls } = await setup({ clock })
    const cookies = jar((await handlers.signedIn(await signIn())).headers.getSetCookie())
    expect((await handlers.getSession(page(cookies), { refresh: true })).setCookie).toEqual([])
    await clock.advance(3_600_000 - 30_000) // 30 s left, less than refreshAheadSeconds (60)
    const session = await handlers.getSession(page(cookies), { refresh: true })
    expect(refreshCalls()).toBe(1)
    expect(session.setCookie).toHaveLength(3)
  })

  it('ignores a forged or foreign access token, and ends a dead session clearing every cookie', async () => {
    const { handlers, signIn, emu } = await setup()
    const result = await signIn()
    const cookies = jar((await handlers.signedIn(result)).headers.getSetCookie())
    const [head, payload] = result.AccessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, username: 'mallory' })).toString('base64url')}.${result.AccessToken.split('.')[2]}`
    const other = await start({ users: [user], clients: [client], userPoolId: 'us-east-1_Other1' })
    const foreign = await other.signIn({ clientId: client.clientId })
    for (const token of [forged, foreign.AccessToken, 'not-a-jwt']) {
      const session = await handlers.getSession(page({ ...cookies, 'rcr-session-access': token }))
      expect(session).toMatchObject({ status: 'signedOut', reason: 'expired' })
    }
    // A tampered session cookie, and then a revoked refresh token: ended, every cookie cleared.
    const tampered = { 'rcr-session': `${cookies['rcr-session']}x` }
    const ended = await handlers.getSession(page(tampered), { refresh: true })
    expect(ended).toMatchObject({ status: 'signedOut', reason: 'ended' })
    expect(ended.setCookie.every((c) => /Max-Age=0$/.test(c))).toBe(true)
    expect(ended.setCookie).toHaveLength(3)
    await call(emu, 'RevokeToken', {
      Token: result.RefreshToken,
      ClientId: client.clientId,
      ClientSecret: client.clientSecret,
    })
    const revoked = await handlers.getSession(
      page({ 'rcr-session': cookies['rcr-session'] ?? '' }),
      {
        refresh: true,
      },
    )
    expect(revoked).toMatchObject({ status: 'signedOut', reason: 'ended' })
  })

  it('is an error, not a sign-out, when the JWKS or Cognito cannot be reached', async () => {
    const { handlers, signIn, emu } = await setup()
    const cookies = jar((await handlers.signedIn(await signIn())).headers.getSetCookie())
    await emu.stop()
    const session = await handlers.getSession(page(cookies), { refresh: true })
    expect(session.status).toBe('error')
    if (session.status === 'error') expect(session.error.kind).toBe('retryable')
    expect(session.setCookie).toEqual([])
  })

  it('the session route gives the page its tokens from the cookies, refreshing only when they are gone', async () => {
    const { handlers, signIn, refreshCalls } = await setup()
    const result = await signIn()
    const cookies = jar((await handlers.signedIn(result)).headers.getSetCookie())
    const post = (jarred: Record<string, string>, extra: Record<string, string> = {}) =>
      handlers.handle(
        new Request('https://app.example.com/api/auth/session', {
          method: 'POST',
          headers: { 'x-requested-with': 'fetch', cookie: header(jarred), ...extra },
        }),
      )
    const fresh = await post(cookies)
    expect(fresh.status).toBe(200)
    const body = await fresh.json()
    expect(body).toMatchObject({
      accessToken: result.AccessToken,
      idToken: result.IdToken,
      tokenType: 'Bearer',
    })
    expect(body.expiresIn).toBeGreaterThan(3500)
    expect(JSON.stringify(body)).not.toContain(result.RefreshToken)
    expect(refreshCalls()).toBe(0)

    delete cookies['rcr-session-access']
    const refreshed = await post(cookies)
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.getSetCookie()).toHaveLength(3)
    expect(refreshCalls()).toBe(1)

    const none = await post({})
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({ error: 'NotAuthorizedException' })
    expect((await post(cookies, { origin: 'https://evil.example' })).status).toBe(403)
  })

  it('verifyAccessToken checks a bearer token as the cookies are checked', async () => {
    const { handlers, signIn } = await setup()
    const result = await signIn()
    expect((await handlers.verifyAccessToken(result.AccessToken))?.username).toBe(user.username)
    expect(await handlers.verifyAccessToken(result.IdToken ?? '')).toBeUndefined()
    expect(await handlers.verifyAccessToken(`${result.AccessToken}x`)).toBeUndefined()
  })

  it('a refreshed token that does not verify (a wrong issuer) is an error that still sets the rotated cookie', async () => {
    const emu = await start({ users: [user], clients: [client] })
    // Another pool's issuer: its JWKS is served, with other keys.
    const other = await start({ clients: [client], userPoolId: 'us-east-1_Wrong1' })
    const handlers = createAuthHandlers({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      endpoint: emu.url,
      secrets: [secret],
      session: { userPoolId: emu.userPoolId, issuer: other.issuer },
    })
    const cookies = jar(
      (
        await handlers.signedIn(await emu.signIn({ clientId: client.clientId }))
      ).headers.getSetCookie(),
    )
    const session = await handlers.getSession(page(cookies), { refresh: true })
    expect(session.status).toBe('error')
    if (session.status === 'error') expect(session.error.code).toBe('ConfigurationError')
    // The refresh token rotated: dropping its successor would end the session.
    expect(session.setCookie.map((c) => c.split('=')[0])).toEqual([
      'rcr-session',
      'rcr-session-access',
      'rcr-session-id',
    ])
  })

  it('needs the `session` option', async () => {
    const emu = await start({ clients: [client] })
    const handlers = createAuthHandlers({
      clientId: client.clientId,
      endpoint: emu.url,
      secrets: [secret],
    })
    expect(() => handlers.getSession(page({}))).toThrow(/session/)
    expect(() => handlers.verifyAccessToken('a.b.c')).toThrow(/session/)
  })
})
