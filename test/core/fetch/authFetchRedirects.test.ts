// @vitest-environment node
// Real HTTP servers on 127.0.0.1 and Node's fetch; no page, unless a test stubs `location`.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../../../src/core/errors'
import { createAuthFetch } from '../../../src/core/fetch/authFetch'
import { setup } from '../../helpers/testClient'

interface Seen {
  method: string
  path: string
  authorization: string | undefined
  body: string
}

/** A server that records what it was sent and answers from `routes` (`[status, location?]`). */
async function server(routes: (path: string) => [number, string?]) {
  const seen: Seen[] = []
  const http: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const path = req.url ?? '/'
      seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body })
      const [status, location] = routes(path.split('?')[0]!)
      res.writeHead(status, location === undefined ? {} : { location })
      res.end(`${req.method} ${path}`)
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  return { origin, seen, close: () => new Promise<void>((resolve) => http.close(() => resolve())) }
}

type Api = Awaited<ReturnType<typeof server>>
let a: Api // the page (or the listed API)
let b: Api // another origin, listed
let c: Api // a foreign origin

beforeAll(async () => {
  c = await server((path) => (path === '/bounce' ? [302, `${a.origin}/final`] : [200]))
  b = await server((path) => (path === '/to-c' ? [307, `${c.origin}/final`] : [200]))
  a = await server((path) => {
    const routes: Record<string, [number, string?]> = {
      '/same': [302, '/final'],
      '/to-b': [307, `${b.origin}/final`],
      '/to-b-to-c': [302, `${b.origin}/to-c`],
      '/to-c': [302, `${c.origin}/final`],
      '/to-c-and-back': [302, `${c.origin}/bounce`],
      '/see-other': [303, '/final'],
      '/keep-body': [308, '/final'],
      '/loop': [302, '/loop'],
      '/to-file': [302, 'file:///etc/passwd'],
    }
    return routes[path] ?? [200]
  })
})
afterAll(async () => Promise.all([a, b, c].map((s) => s.close())))
afterEach(() => {
  vi.unstubAllGlobals()
  for (const s of [a, b, c]) s.seen.length = 0
})

function env(options: { allowedOrigins?: string[]; fetch?: typeof fetch } = {}) {
  const t = setup()
  t.client.mount()
  t.client.setSession(t.transport.signIn())
  const bearer = `Bearer ${t.client.getSnapshot().tokens!.accessToken}`
  return { ...t, bearer, authFetch: createAuthFetch(t.client, options) }
}

/** The page is served from `a`. */
const onPageA = () => vi.stubGlobal('location', { origin: a.origin, href: `${a.origin}/app/` })

describe('createAuthFetch: redirects (real servers)', () => {
  it('a same-origin redirect keeps the token', async () => {
    onPageA()
    const { authFetch, bearer } = env()
    const response = await authFetch('/same')
    expect(await response.text()).toBe('GET /final')
    expect(response.redirected).toBe(true)
    expect(response.url).toBe(`${a.origin}/final`)
    expect(a.seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/same', bearer],
      ['/final', bearer],
    ])
  })

  it('a redirect to a listed origin keeps the token', async () => {
    onPageA()
    const { authFetch, bearer } = env({ allowedOrigins: [b.origin] })
    const response = await authFetch(`${a.origin}/to-b`, { method: 'PUT', body: 'kept' })
    expect(await response.text()).toBe('PUT /final') // 307: same method, same body
    expect(b.seen).toEqual([{ method: 'PUT', path: '/final', authorization: bearer, body: 'kept' }])
  })

  it('a redirect to a foreign origin never carries the token, even through a listed one', async () => {
    onPageA()
    const { authFetch, bearer } = env({ allowedOrigins: [b.origin] })
    expect((await authFetch(`${a.origin}/to-c`)).status).toBe(200)
    expect((await authFetch(`${a.origin}/to-b-to-c`, { method: 'PUT', body: 'x' })).status).toBe(
      200,
    )
    expect(c.seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/final', undefined],
      ['/final', undefined],
    ])
    expect(b.seen.map((s) => s.authorization)).toEqual([bearer])
  })

  it('once dropped the token stays dropped: A -> foreign -> A does not see it', async () => {
    onPageA()
    const { authFetch, bearer } = env()
    expect(await (await authFetch(`${a.origin}/to-c-and-back`)).text()).toBe('GET /final')
    expect(a.seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/to-c-and-back', bearer],
      ['/final', undefined],
    ])
    expect(c.seen[0]!.authorization).toBeUndefined()
  })

  it('does not carry the token away even when the fetch it calls follows redirects naively', async () => {
    // An older browser: follows every redirect keeping every header.
    const naive: typeof fetch = async (input, init) => {
      let url = String(input)
      for (let hop = 0; hop < 5; hop++) {
        const response = await fetch(url, { ...init, redirect: 'manual' })
        const location = response.headers.get('location')
        if (init?.redirect === 'manual' || location === null) return response
        url = new URL(location, url).href
      }
      throw new TypeError('too many redirects')
    }
    onPageA()
    const { authFetch } = env({ fetch: naive })
    expect((await authFetch(`${a.origin}/to-c`)).status).toBe(200)
    expect(c.seen.map((s) => s.authorization)).toEqual([undefined])
  })

  it('303 turns the request into a GET without a body; redirects are bounded', async () => {
    onPageA()
    const { authFetch } = env()
    const response = await authFetch('/see-other', {
      method: 'POST',
      body: 'form',
      headers: { 'content-type': 'text/plain' },
    })
    expect(await response.text()).toBe('GET /final')
    expect(a.seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', 'form'],
      ['GET', ''],
    ])
    const request = new Request(`${a.origin}/keep-body`, { method: 'POST', body: 'again' })
    expect(await (await authFetch(request)).text()).toBe('POST /final')
    expect(a.seen.slice(2).map((s) => s.body)).toEqual(['again', 'again'])
    await expect(authFetch('/loop')).rejects.toThrow(/More than 20 redirects/)
    expect(a.seen.filter((s) => s.path === '/loop')).toHaveLength(21)
    await expect(authFetch('/to-file')).rejects.toThrow(TypeError)
  })

  it('a 401 from an origin that never saw the token does not refresh', async () => {
    const foreign401 = await server(() => [401])
    const hop = await server(() => [302, `${foreign401.origin}/x`])
    try {
      const { authFetch, transport } = env({ allowedOrigins: [hop.origin] })
      expect((await authFetch(`${hop.origin}/go`)).status).toBe(401)
      expect(transport.calls).toHaveLength(0)
      expect(hop.seen).toHaveLength(1)
    } finally {
      await Promise.all([foreign401.close(), hop.close()])
    }
  })

  it("a browser's hidden redirect is not followed with the token and not re-sent", async () => {
    // What a browser returns for redirect: 'manual': status 0, no Location.
    const browser: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (init?.redirect !== 'manual' || response.status < 300 || response.status > 399) {
        return response
      }
      Object.defineProperty(response, 'type', { value: 'opaqueredirect' })
      Object.defineProperty(response, 'status', { value: 0 })
      return response
    }
    onPageA()
    const { authFetch, bearer } = env({ fetch: browser })
    const error = await authFetch('/to-c?code=secret').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'ConfigurationError' })
    expect((error as AuthError).message).toContain(`${a.origin} answered with a redirect`)
    expect((error as AuthError).message).not.toContain('secret')
    expect((error as AuthError).message).toContain("pass redirect: 'follow'")
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production' // the advice is for developers; the fact stays
    const quiet = await authFetch('/to-c').catch((e: unknown) => e)
    process.env.NODE_ENV = before
    expect((quiet as AuthError).message).toMatch(/not followed with the token\.$/)
    expect(a.seen.map((s) => s.authorization)).toEqual([bearer, bearer])
    expect(c.seen).toEqual([])
    // Opting in per request hands the redirect to the platform.
    expect((await authFetch('/same', { redirect: 'follow' })).status).toBe(200)
  })
})

describe('createAuthFetch: outside a page', () => {
  it('refuses a relative URL and unlisted absolute ones; sends to listed origins', async () => {
    expect(globalThis.location).toBeUndefined()
    const { authFetch, bearer } = env({ allowedOrigins: [a.origin] })
    await expect(authFetch('/final')).rejects.toMatchObject({
      code: 'ConfigurationError',
      message: expect.stringContaining('Outside a page a URL must be absolute'),
    })
    await expect(authFetch(`${c.origin}/final`)).rejects.toMatchObject({
      code: 'ConfigurationError',
      message: expect.stringContaining(`${c.origin} is not in allowedOrigins`),
    })
    expect((await authFetch(`${a.origin}/final`)).status).toBe(200)
    const { authFetch: unlisted } = env()
    await expect(unlisted(`${a.origin}/final`)).rejects.toMatchObject({
      code: 'ConfigurationError',
    })
    expect(a.seen.map((s) => s.authorization)).toEqual([bearer])
    expect(c.seen).toEqual([])
  })
})
