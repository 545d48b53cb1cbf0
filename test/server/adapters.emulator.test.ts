/**
 * The thin adapters against the emulator: Lambda events (payload formats 2.0 and 1.0) through the
 * real handlers, and the Next.js proxy refreshing before a page renders, with the new cookies in
 * both the browser's reply and the request the page reads.
 */
import { describe, expect, it } from 'vitest'
import type { AuthenticationResult } from '../../src/core/tokens'
import { authProxy, createAuthHandlers, lambdaHandler } from '../../src/server'
import { applySetCookie } from '../../src/server/next'
import { secretClient, start, stopEmulatorsAfterEach, user } from '../emulator/helpers'

stopEmulatorsAfterEach()

const client = {
  ...secretClient,
  refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
} as const

async function setup() {
  const emu = await start({ users: [user], clients: [client] })
  const auth = createAuthHandlers({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    endpoint: emu.url,
    secrets: ['a-session-cookie-secret-of-forty-chars-aaaa'],
    session: { userPoolId: emu.userPoolId },
  })
  const result: AuthenticationResult = await emu.signIn({ clientId: client.clientId })
  const setCookie = (await auth.signedIn(result)).headers.getSetCookie()
  const sealed = applySetCookie(null, setCookie.slice(0, 1)) // rcr-session=…
  return { emu, auth, result, setCookie, sealed }
}

describe('lambdaHandler', () => {
  it('serves a Function URL / HTTP API event (2.0): cookies in, cookies out apart', async () => {
    const { auth, result, sealed } = await setup()
    const handler = lambdaHandler((request) => auth.handle(request))
    const reply = await handler({
      version: '2.0',
      rawPath: '/api/auth/refresh',
      rawQueryString: '',
      cookies: [sealed, 'other=1'],
      headers: { host: 'abc.lambda-url.eu-west-1.on.aws', 'x-requested-with': 'fetch' },
      requestContext: { http: { method: 'POST' }, domainName: 'abc.lambda-url.eu-west-1.on.aws' },
      isBase64Encoded: false,
    })
    expect(reply.statusCode).toBe(200)
    expect(reply.cookies?.map((c) => c.split('=')[0])).toEqual([
      'rcr-session',
      'rcr-session-access',
      'rcr-session-id',
    ])
    expect(reply.headers['set-cookie']).toBeUndefined()
    expect(reply.headers['content-type']).toBe('application/json')
    expect(JSON.parse(reply.body).accessToken).toMatch(/^ey/)
    expect(reply.body).not.toContain(result.RefreshToken)
  })

  it('serves a REST API event (1.0) and refuses a cross-site POST', async () => {
    const { auth, sealed } = await setup()
    const handler = lambdaHandler((request) => auth.handle(request))
    const event = {
      httpMethod: 'POST',
      path: '/api/auth/refresh',
      multiValueHeaders: { Cookie: [sealed], 'X-Requested-With': ['fetch'] },
      headers: { Host: 'api.example.com', Origin: 'https://api.example.com' },
      body: null,
      isBase64Encoded: false,
    }
    const reply = await handler(event)
    expect(reply.statusCode).toBe(200)
    expect(reply.multiValueHeaders?.['set-cookie']).toHaveLength(3)
    const crossSite = await handler({
      ...event,
      headers: { Host: 'api.example.com', Origin: 'https://evil.example' },
    })
    expect(crossSite.statusCode).toBe(403)
    expect(crossSite.multiValueHeaders?.['set-cookie']).toEqual([])
  })
})

describe('the Origin check behind a framework', () => {
  it('accepts the host the browser named when the framework rebuilt request.url, and nothing else', async () => {
    const { auth, sealed } = await setup()
    // Next.js hands route handlers http://localhost:<port>/… for a browser on 127.0.0.1:<port>.
    const post = (origin: string) =>
      auth.handle(
        new Request('http://localhost:3000/api/auth/session', {
          method: 'POST',
          headers: { host: '127.0.0.1:3000', origin, cookie: sealed, 'x-requested-with': 'fetch' },
        }),
      )
    expect((await post('http://127.0.0.1:3000')).status).toBe(200)
    expect((await post('http://127.0.0.1:4000')).status).toBe(403)
    expect((await post('https://evil.example')).status).toBe(403)
    expect((await post('null')).status).toBe(403)
  })
})

describe('authProxy', () => {
  it('refreshes a session whose access token is gone, for the browser and for this request', async () => {
    const { auth, emu, sealed } = await setup()
    let seen: Headers | undefined
    const proxy = authProxy(auth, (headers) => {
      seen = headers
      return new Response(null, { status: 200 })
    })
    const response = await proxy(
      new Request('https://app.example.com/profile', {
        headers: { cookie: `${sealed}; theme=dark` },
      }),
    )
    const set = response.headers.getSetCookie()
    expect(set.map((c) => c.split('=')[0])).toEqual([
      'rcr-session',
      'rcr-session-access',
      'rcr-session-id',
    ])
    // The page's Server Components read the request `next` got: signed in, no second refresh.
    const cookie = seen?.get('cookie') ?? ''
    expect(cookie).toContain('theme=dark')
    expect(cookie).toContain('rcr-session-access=ey')
    const session = await auth.getSession(seen ?? new Headers())
    expect(session.status).toBe('signedIn')
    expect(session.setCookie).toEqual([])
    expect(emu.stats().refreshes).toHaveLength(1)
  })

  it('passes a fresh session and a signed-out visitor through untouched', async () => {
    const { auth, emu, setCookie } = await setup()
    const proxy = authProxy(auth, () => new Response('page'))
    const fresh = await proxy(
      new Request('https://app.example.com/', {
        headers: { cookie: applySetCookie(null, setCookie) },
      }),
    )
    expect(fresh.headers.getSetCookie()).toEqual([])
    const visitor = await proxy(new Request('https://app.example.com/'))
    expect(visitor.headers.getSetCookie()).toEqual([])
    expect(await visitor.text()).toBe('page')
    expect(emu.stats().refreshes).toHaveLength(0)
  })
})
