/**
 * The backend-for-frontend handlers over real HTTP (Node's http server through `nodeHandler`)
 * against the emulator with a confidential, rotating app client, and our browser client on
 * `backendTransport` in front of them: the refresh token stays in the sealed cookie.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { AuthError, type AuthErrorCode } from '../../src/core/errors'
import type { AuthenticationResult } from '../../src/core/tokens'
import {
  backendSession,
  backendTransport,
  cookieRefreshToken,
} from '../../src/core/transports/backend'
import { secretHash } from '../../src/emulator/clientAuth'
import { type AuthHandlersOptions, createAuthHandlers, nodeHandler } from '../../src/server'
import { ManualClock } from '../helpers/manualClock'
import { call, secretClient, start, stopEmulatorsAfterEach, user } from '../emulator/helpers'

stopEmulatorsAfterEach()
const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    ),
  )
})

const secretA = 'a-session-cookie-secret-of-forty-chars-aaaa'
const secretB = 'b-session-cookie-secret-of-forty-chars-bbbb'
const csrf = { 'x-requested-with': 'fetch' }
const client = {
  ...secretClient,
  refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
} as const

async function setup(extra: Partial<AuthHandlersOptions> = {}) {
  const emu = await start({ users: [user], clients: [client] })
  const options: AuthHandlersOptions = {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    endpoint: emu.url,
    secrets: [secretA],
    cookie: { path: '/api/auth' },
    ...extra,
  }
  const handlers = createAuthHandlers(options)
  const server = createServer(nodeHandler((request) => handlers.handle(request)))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signIn = async (): Promise<AuthenticationResult> => {
    const reply = await call(emu, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.clientId,
      AuthParameters: {
        USERNAME: user.username,
        PASSWORD: user.password,
        SECRET_HASH: secretHash(client.clientSecret, user.username, client.clientId),
      },
    })
    expect(reply.status).toBe(200)
    return reply.json.AuthenticationResult as AuthenticationResult
  }
  /** POSTs to the handlers with `cookie` (the sealed value), as a browser on the origin would. */
  const post = (path: string, cookie: string | undefined, headers: Record<string, string> = csrf) =>
    fetch(`${origin}/api/auth/${path}`, {
      method: 'POST',
      headers: {
        origin,
        ...headers,
        ...(cookie !== undefined && { cookie: `rcr-session=${cookie}` }),
      },
    })
  const refreshCalls = () =>
    emu.stats().refreshes.filter((r) => r.operation === 'GetTokensFromRefreshToken').length
  return { emu, handlers, origin, signIn, post, refreshCalls, options }
}

/** The sealed value of a `Set-Cookie` that sets the session (undefined when it clears it). */
function sealedOf(response: Response): string | undefined {
  const set = response.headers.getSetCookie().find((c) => c.startsWith('rcr-session='))
  const value = set?.split(';')[0]?.slice('rcr-session='.length)
  return value === '' ? undefined : value
}

/** A same-origin POST to the refresh route with `cookie`, for handlers called directly. */
const refreshRequest = (cookie: string | undefined) =>
  new Request('https://app.example.com/api/auth/refresh', {
    method: 'POST',
    headers: { ...csrf, cookie: `rcr-session=${cookie}` },
  })

const cleared = (response: Response) =>
  response.headers.getSetCookie().some((c) => /^rcr-session=;.*Max-Age=0/.test(c))

describe('server handlers against the emulator', () => {
  it('signedIn sets a sealed HttpOnly cookie and sends no refresh token; our client refreshes through it, rotating the cookie', async () => {
    const { handlers, origin, signIn, refreshCalls } = await setup()
    const result = await signIn()
    const signedIn = await handlers.signedIn(result)
    const set = signedIn.headers.getSetCookie()[0] ?? ''
    expect(set).toMatch(
      /^rcr-session=[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+; Path=\/api\/auth; HttpOnly; Secure; SameSite=Strict; Max-Age=2592000$/,
    )
    expect(set).not.toContain(result.RefreshToken)
    const body = await signedIn.json()
    expect(JSON.stringify(body)).not.toContain(result.RefreshToken)

    // The browser: our client on backendTransport, with the cookie kept as a browser keeps it.
    let jar = sealedOf(signedIn)
    const sent: string[] = []
    const auth = createAuthClient({
      clientId: client.clientId,
      transport: backendTransport({
        url: `${origin}/api/auth/refresh`,
        revokeUrl: `${origin}/api/auth/sign-out`,
        headers: csrf,
        fetch: async (input, init) => {
          const headers = new Headers(init?.headers)
          headers.set('cookie', `rcr-session=${jar}`)
          headers.set('origin', origin)
          const response = await fetch(input, { ...init, headers })
          sent.push(await response.clone().text())
          if (response.headers.getSetCookie().length > 0) jar = sealedOf(response)
          return response
        },
      }),
      storage: 'memory',
      versionMarker: false,
      environment: { lock: noLock, channel: noChannel, lifecycle: noLifecycle },
    })
    auth.setSession(backendSession(body))
    const first = auth.getSnapshot().tokens?.accessToken
    const before = jar
    await auth.refresh({ force: true })
    expect(auth.getSnapshot().tokens?.accessToken).not.toBe(first)
    expect(auth.getSnapshot().tokens?.refreshToken).toBe(cookieRefreshToken)
    expect(jar).not.toBe(before) // rotated, resealed
    expect(refreshCalls()).toBe(1)
    for (const text of sent) expect(text).not.toMatch(/refresh_?token/i)

    await auth.signOut()
    expect(jar).toBeUndefined()
    auth.dispose()
  })

  it('many tabs at once, and one just after with the old cookie: one call to Cognito, one answer', async () => {
    const { handlers, signIn, post, refreshCalls } = await setup()
    const cookie = sealedOf(await handlers.signedIn(await signIn()))
    const replies = await Promise.all(Array.from({ length: 8 }, () => post('refresh', cookie)))
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200))
    const bodies = await Promise.all(
      replies.map((r) => r.json() as Promise<{ accessToken: string }>),
    )
    expect(new Set(bodies.map((b) => b.accessToken)).size).toBe(1)
    expect(new Set(replies.map(sealedOf)).size).toBe(1)
    const late = await post('refresh', cookie)
    expect(late.status).toBe(200)
    expect(((await late.json()) as { accessToken: string }).accessToken).toBe(
      bodies[0]?.accessToken,
    )
    expect(refreshCalls()).toBe(1)
  })

  it('a tampered, foreign-key or expired cookie, or none, answers 401 and clears the cookie', async () => {
    const clock = new ManualClock(Date.now())
    const { handlers, signIn, post, refreshCalls, emu } = await setup({
      clock,
      cookie: { path: '/api/auth', maxAgeSeconds: 60 },
    })
    const cookie = sealedOf(await handlers.signedIn(await signIn())) ?? ''
    const middle = Math.floor(cookie.length / 2)
    const flipped = cookie[middle] === 'A' ? 'B' : 'A'
    const tampered = `${cookie.slice(0, middle)}${flipped}${cookie.slice(middle + 1)}`
    const foreign = sealedOf(
      await createAuthHandlers({
        clientId: client.clientId,
        endpoint: emu.url,
        secrets: [secretB],
      }).signedIn(await signIn()),
    )
    for (const value of [tampered, foreign, undefined, 'not-a-jwe']) {
      const reply = await post('refresh', value)
      expect(reply.status).toBe(401)
      expect(await reply.json()).toEqual({ error: 'NotAuthorizedException' })
      expect(cleared(reply)).toBe(true)
    }
    clock.time += 61_000
    const expired = await post('refresh', cookie)
    expect(expired.status).toBe(401)
    expect(cleared(expired)).toBe(true)
    expect(refreshCalls()).toBe(0)
  })

  it('cross-site requests are refused before the cookie is read', async () => {
    const { handlers, signIn, post, refreshCalls, origin } = await setup({
      allowedOrigins: ['https://app.example.com'],
    })
    const cookie = sealedOf(await handlers.signedIn(await signIn()))
    expect((await post('refresh', cookie, {})).status).toBe(403) // a form: no custom header
    expect(
      (await post('refresh', cookie, { ...csrf, origin: 'https://evil.example' })).status,
    ).toBe(403)
    const get = await fetch(`${origin}/api/auth/refresh`, { headers: csrf })
    expect(get.status).toBe(405)
    expect(refreshCalls()).toBe(0)
    const allowed = await post('refresh', cookie, { ...csrf, origin: 'https://app.example.com' })
    expect(allowed.status).toBe(200)
  })

  it('sign-out revokes the refresh token and clears the cookie; the old cookie is then refused by Cognito', async () => {
    const { handlers, signIn, post } = await setup({ reuseWindowMs: 0 })
    const result = await signIn()
    const cookie = sealedOf(await handlers.signedIn(result))
    const out = await post('sign-out', cookie)
    expect(out.status).toBe(204)
    expect(cleared(out)).toBe(true)
    const after = await post('refresh', cookie)
    expect(after.status).toBe(401)
    const body = await after.text()
    expect(body).not.toContain(result.RefreshToken)
    expect(JSON.parse(body)).toMatchObject({
      error: expect.stringMatching(/NotAuthorized|invalid/),
    })
    expect(cleared(after)).toBe(true)
  })

  it('secrets rotate: a cookie sealed with the old secret opens while it is listed, and comes back sealed with the new one', async () => {
    const { signIn, emu } = await setup()
    const base = { clientId: client.clientId, clientSecret: client.clientSecret, endpoint: emu.url }
    const old = createAuthHandlers({ ...base, secrets: [secretA] })
    const both = createAuthHandlers({ ...base, secrets: [secretB, secretA] })
    const onlyNew = createAuthHandlers({ ...base, secrets: [secretB] })
    const request = refreshRequest
    const sealedOld = sealedOf(await old.signedIn(await signIn()))
    expect((await onlyNew.refresh(request(sealedOld))).status).toBe(401)
    const renewed = await both.refresh(request(sealedOld))
    expect(renewed.status).toBe(200)
    const sealedNew = sealedOf(renewed)
    expect((await onlyNew.refresh(request(sealedNew))).status).toBe(200)
    expect((await old.refresh(request(sealedNew))).status).toBe(401)
  })

  it('refuses weak secrets and odd cookie names at creation', () => {
    const base = { clientId: client.clientId, region: 'us-east-1' }
    expect(() => createAuthHandlers({ ...base, secrets: [] })).toThrow(/32 characters/)
    expect(() => createAuthHandlers({ ...base, secrets: ['short'] })).toThrow(/32 characters/)
    expect(() =>
      createAuthHandlers({ ...base, secrets: [secretA], cookie: { name: 'a;b' } }),
    ).toThrow(/cookie name/)
  })

  it("a Cognito-sized refresh token fits a browser's cookie; one too large is refused at sealing", async () => {
    const handlers = createAuthHandlers({
      clientId: client.clientId,
      region: 'us-east-1',
      secrets: [secretA],
    })
    // Cognito's refresh tokens are JWEs of about 1,800 characters.
    const result = { AccessToken: 'a.b.c', ExpiresIn: 3600, TokenType: 'Bearer' }
    const fits = await handlers.signedIn({ ...result, RefreshToken: 'r'.repeat(1_800) })
    const set = fits.headers.getSetCookie()[0] ?? ''
    expect(set.length).toBeGreaterThan(2_000)
    expect(set.length).toBeLessThan(4_096)
    await expect(handlers.signedIn({ ...result, RefreshToken: 'r'.repeat(3_500) })).rejects.toThrow(
      /larger than a browser keeps/,
    )
  })

  it("maps Cognito's answers: dead token 401 and cleared, rotated away 401 and kept, throttled 503 with Retry-After and tried again, configuration 400", async () => {
    const answers: Array<() => Promise<AuthenticationResult>> = []
    let calls = 0
    const handlers = createAuthHandlers({
      clientId: client.clientId,
      region: 'us-east-1',
      secrets: [secretA],
      transport: {
        name: 'scripted',
        refresh: () => {
          calls++
          return (answers.shift() ?? (() => Promise.reject(new Error('no answer'))))()
        },
      },
    })
    const result = { AccessToken: 'a.b.c', ExpiresIn: 3600, RefreshToken: 'rt-1' }
    const cookie = sealedOf(await handlers.signedIn(result))
    const ask = () => handlers.refresh(refreshRequest(cookie))
    const fail =
      (code: AuthErrorCode, options = {}) =>
      () =>
        Promise.reject(new AuthError(code, 'Cognito said no. rt-1', options))

    answers.push(fail('TooManyRequestsException', { retryAfterMs: 2_000 }))
    const throttled = await ask()
    expect(throttled.status).toBe(503)
    expect(throttled.headers.get('retry-after')).toBe('2')
    expect(throttled.headers.getSetCookie()).toEqual([])
    expect(await throttled.text()).toBe('{"error":"TooManyRequestsException"}')

    answers.push(fail('InvalidParameterException'))
    const misconfigured = await ask() // the throttle was not remembered: Cognito asked again
    expect(misconfigured.status).toBe(400)
    expect(misconfigured.headers.getSetCookie()).toEqual([])
    expect(calls).toBe(2)

    const fresh = createAuthHandlers({
      clientId: client.clientId,
      region: 'us-east-1',
      secrets: [secretA],
      reuseWindowMs: 0,
      transport: {
        name: 'scripted',
        refresh: () => (answers.shift() as () => Promise<AuthenticationResult>)(),
      },
    })
    const askFresh = () => fresh.refresh(refreshRequest(cookie))
    answers.push(fail('RefreshTokenReuseException'))
    const rotatedAway = await askFresh()
    expect(rotatedAway.status).toBe(401)
    expect(rotatedAway.headers.getSetCookie()).toEqual([]) // the browser may hold a newer one
    answers.push(fail('NotAuthorizedException'))
    const dead = await askFresh()
    expect(dead.status).toBe(401)
    expect(cleared(dead)).toBe(true)
    expect(await dead.text()).not.toContain('rt-1')
  })

  it('an answer serves the same cookie for reuseWindowMs, then Cognito is asked again', async () => {
    const clock = new ManualClock(Date.now())
    let calls = 0
    const handlers = createAuthHandlers({
      clientId: client.clientId,
      region: 'us-east-1',
      secrets: [secretA],
      clock,
      reuseWindowMs: 1_000,
      transport: {
        name: 'counting',
        refresh: () => {
          calls++
          return Promise.resolve({ AccessToken: `a${calls}.b.c`, ExpiresIn: 3600 })
        },
      },
    })
    const result = { AccessToken: 'a.b.c', ExpiresIn: 3600, RefreshToken: 'rt-1' }
    const cookie = sealedOf(await handlers.signedIn(result))
    const ask = () => handlers.refresh(refreshRequest(cookie))
    expect((await ask()).status).toBe(200)
    clock.time += 999
    expect((await ask()).status).toBe(200)
    expect(calls).toBe(1)
    clock.time += 2
    expect((await ask()).status).toBe(200)
    expect(calls).toBe(2)
  })
})
