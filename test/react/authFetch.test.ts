import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { createAuthFetch } from '../../src/react/authFetch'
import { flush } from '../helpers/manualClock'
import { setup } from '../helpers/testClient'

const hour = 3_600_000
const apiOrigin = 'https://api.example'

interface Sent {
  authorization: string | null
  body: string | null
  signal: AbortSignal | null | undefined
}

/**
 * An API that answers 401 to the tokens in `revoked` and 200 (echoing the body) otherwise. Replies
 * wait while `hold()` is in force. Records what it was sent.
 */
function fakeApi() {
  const sent: Sent[] = []
  const revoked = new Set<string>()
  let hold: Promise<void> | undefined
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const streamed = init?.body instanceof ReadableStream
    const request = new Request(input, streamed ? { ...init, body: null } : init)
    const authorization = request.headers.get('authorization')
    const body = streamed ? '[stream]' : request.body ? await request.text() : null
    sent.push({ authorization, body, signal: init?.signal })
    if (hold) await hold
    const token = authorization?.replace(/^Bearer /, '') ?? ''
    return revoked.has(token) || token === ''
      ? new Response('unauthorized', { status: 401 })
      : new Response(body ?? 'ok', { status: 200 })
  }
  return {
    fetch,
    sent,
    revoked,
    hold() {
      let release!: () => void
      hold = new Promise<void>((resolve) => (release = resolve))
      return () => {
        hold = undefined
        release()
      }
    },
  }
}

function env() {
  const t = setup()
  t.client.mount()
  t.client.setSession(t.transport.signIn())
  const api = fakeApi()
  const authFetch = createAuthFetch(t.client, { fetch: api.fetch, allowedOrigins: [apiOrigin] })
  const token = () => t.client.getSnapshot().tokens!.accessToken
  return { ...t, api, authFetch, token }
}

describe('createAuthFetch', () => {
  it('sends the current access token as a Bearer header and keeps the caller headers', async () => {
    const { api, authFetch, token } = env()
    const response = await authFetch('https://api.example/me', { headers: { 'x-trace': '1' } })
    expect(response.status).toBe(200)
    expect(api.sent).toEqual([
      { authorization: `Bearer ${token()}`, body: null, signal: undefined },
    ])
  })

  it('refreshes first when the token lapses within the minimum validity', async () => {
    const { clock, transport, api, authFetch, token } = env()
    const before = token()
    clock.sleep(2 * hour)
    expect((await authFetch('https://api.example/me')).status).toBe(200)
    expect(transport.calls).toHaveLength(1)
    expect(token()).not.toBe(before)
    expect(api.sent[0]!.authorization).toBe(`Bearer ${token()}`)
  })

  it('passes the caller AbortSignal; an aborted signal rejects with AbortError and sends nothing', async () => {
    const { api, authFetch } = env()
    const controller = new AbortController()
    await authFetch('https://api.example/me', { signal: controller.signal })
    expect(api.sent[0]!.signal).toBe(controller.signal)
    controller.abort()
    await expect(
      authFetch('https://api.example/me', { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(api.sent).toHaveLength(1)
  })

  it('on a 401 forces one refresh and retries once with the new token', async () => {
    const { transport, api, authFetch, token } = env()
    const stale = token()
    api.revoked.add(stale)
    const response = await authFetch('https://api.example/me', { method: 'POST', body: 'hello' })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('hello')
    expect(transport.calls).toHaveLength(1)
    expect(api.sent.map((s) => [s.authorization, s.body])).toEqual([
      [`Bearer ${stale}`, 'hello'],
      [`Bearer ${token()}`, 'hello'],
    ])
  })

  it('makes one refresh for many concurrent 401s, and every request succeeds on its retry', async () => {
    const { transport, api, authFetch, token } = env()
    const stale = token()
    api.revoked.add(stale)
    const release = api.hold() // all five are out with the stale token before any 401 comes back
    const pending = [1, 2, 3, 4, 5].map((i) => authFetch(`https://api.example/item/${i}`))
    await flush()
    expect(api.sent).toHaveLength(5)
    release()
    const responses = await Promise.all(pending)
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(transport.calls).toHaveLength(1)
    expect(api.sent.slice(5).every((s) => s.authorization === `Bearer ${token()}`)).toBe(true)
  })

  it('retries with the current token, without a refresh, when it changed while the request was out', async () => {
    const { client, transport, api, authFetch, token } = env()
    const stale = token()
    api.revoked.add(stale)
    const release = api.hold()
    const pending = authFetch('https://api.example/me')
    await flush()
    await client.refresh({ force: true }) // e.g. the timer, or another tab through the channel
    expect(transport.calls).toHaveLength(1)
    release()
    expect((await pending).status).toBe(200)
    expect(transport.calls).toHaveLength(1)
    expect(api.sent.map((s) => s.authorization)).toEqual([`Bearer ${stale}`, `Bearer ${token()}`])
  })

  it('returns the second 401 as is: one retry, no loop', async () => {
    const { transport, api, client } = env()
    let calls = 0
    const authFetch = createAuthFetch(client, {
      allowedOrigins: [apiOrigin],
      fetch: async () => {
        calls++
        return new Response('no', { status: 401 })
      },
    })
    expect((await authFetch('https://api.example/me')).status).toBe(401)
    expect(calls).toBe(2)
    expect(transport.calls).toHaveLength(1)
    expect(api.sent).toHaveLength(0)
  })

  it('does not retry a ReadableStream body: the 401 is returned and nothing is refreshed', async () => {
    const { transport, api, authFetch, token } = env()
    api.revoked.add(token())
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('once'))
        controller.close()
      },
    })
    const response = await authFetch('https://api.example/upload', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(401)
    expect(api.sent).toHaveLength(1)
    expect(transport.calls).toHaveLength(0)
  })

  it('replays a Request body from a copy taken before the first send', async () => {
    const { api, authFetch, token } = env()
    api.revoked.add(token())
    const request = new Request('https://api.example/items', { method: 'PUT', body: '{"a":1}' })
    const response = await authFetch(request)
    expect(response.status).toBe(200)
    expect(api.sent.map((s) => s.body)).toEqual(['{"a":1}', '{"a":1}'])
  })

  it('rejects with NoSession before sign-in and SignedOut after sign-out, sending nothing', async () => {
    const t = setup()
    t.client.mount()
    const api = fakeApi()
    const authFetch = createAuthFetch(t.client, { fetch: api.fetch, allowedOrigins: [apiOrigin] })
    await expect(authFetch('https://api.example/me')).rejects.toMatchObject({
      name: 'AuthError',
      code: 'NoSession',
    })
    t.client.setSession(t.transport.signIn())
    await t.client.signOut()
    const error = await authFetch('https://api.example/me').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'SignedOut', kind: 'terminal' })
    expect(api.sent).toHaveLength(0)
  })

  it('rejects with the terminal error when the forced refresh ends the session', async () => {
    const { client, transport, api, authFetch, token } = env()
    api.revoked.add(token())
    transport.fail('NotAuthorizedException')
    const error = await authFetch('https://api.example/me').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
    expect(client.getSnapshot().status).toBe('unauthenticated')
    expect(api.sent).toHaveLength(1)
    // And afterwards: a plain SignedOut, not a loop of refreshes.
    await expect(authFetch('https://api.example/me')).rejects.toMatchObject({ code: 'SignedOut' })
    expect(transport.calls).toHaveLength(1)
  })

  it('returns the 401 when the forced refresh fails for a retryable reason (offline)', async () => {
    const { client, transport, api, authFetch, token } = env()
    api.revoked.add(token())
    transport.fail('NetworkError')
    const response = await authFetch('https://api.example/me')
    expect(response.status).toBe(401)
    expect(client.getSnapshot().status).toBe('authenticated')
    expect(api.sent).toHaveLength(1)
  })

  it('with userId, refuses to send another user token', async () => {
    const { client, transport, api } = env()
    const me = client.getSnapshot().tokens!.accessClaims.sub!
    const authFetch = createAuthFetch(client, {
      fetch: api.fetch,
      userId: me,
      allowedOrigins: [apiOrigin],
    })
    expect((await authFetch('https://api.example/me')).status).toBe(200)
    client.setSession(transport.signIn({ sub: 'someone-else' }))
    await expect(authFetch('https://api.example/me')).rejects.toMatchObject({ code: 'SignedOut' })
    expect(api.sent).toHaveLength(1)
  })

  it('never puts token material in its errors', async () => {
    const { client, transport, api, authFetch, token } = env()
    const tokens = client.getSnapshot().tokens!
    api.revoked.add(token())
    transport.fail('NotAuthorizedException')
    const error = (await authFetch('https://api.example/me').catch((e: unknown) => e)) as AuthError
    const text = `${error.message} ${JSON.stringify(error)}`
    for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken!]) {
      expect(text).not.toContain(secret)
    }
  })
})

describe('createAuthFetch: where the token may go', () => {
  const here = globalThis.location.origin

  function withOrigins(allowedOrigins?: readonly string[]) {
    const t = env()
    const authFetch = createAuthFetch(t.client, {
      fetch: t.api.fetch,
      ...(allowedOrigins !== undefined && { allowedOrigins }),
    })
    return { ...t, authFetch }
  }

  it("by default sends the token to the page's own origin only", async () => {
    const { authFetch, api, token } = withOrigins()
    expect((await authFetch('/me')).status).toBe(200)
    expect((await authFetch(`${here}/me?x=1`)).status).toBe(200)
    const error = await authFetch('https://api.example.com/me?secret=1').catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'AuthError', code: 'ConfigurationError', kind: 'fatal' })
    // The origin is named; the path and query are not.
    expect((error as AuthError).message).toContain(
      'https://api.example.com is not in allowedOrigins',
    )
    expect((error as AuthError).message).not.toMatch(/\/me|secret/)
    expect(api.sent.map((s) => s.authorization)).toEqual(Array(2).fill(`Bearer ${token()}`))
  })

  it('resolves a relative URL as fetch does, and sends the URL it checked', async () => {
    const { client, api } = env()
    const urls: string[] = []
    const authFetch = createAuthFetch(client, {
      fetch: (input, init) => {
        urls.push(String(input))
        return api.fetch(input, init)
      },
    })
    await authFetch('me?x=1')
    expect(urls).toEqual([new URL('me?x=1', document.baseURI).href])
  })

  it("sends the token to the page's own origin and to the listed ones", async () => {
    const { authFetch, api, token } = withOrigins(['https://api.example.com/'])
    expect((await authFetch('/me')).status).toBe(200)
    expect((await authFetch(`${here}/me`)).status).toBe(200)
    expect((await authFetch(new URL('https://api.example.com/items?x=1'))).status).toBe(200)
    expect((await authFetch(new Request('https://api.example.com/items'))).status).toBe(200)
    expect(api.sent.map((s) => s.authorization)).toEqual(Array(4).fill(`Bearer ${token()}`))
  })

  it('refuses any other origin with a ConfigurationError and sends nothing', async () => {
    const { authFetch, api, token } = withOrigins(['https://api.example.com'])
    for (const url of [
      'https://evil.example.net/steal',
      'http://api.example.com/items', // another scheme is another origin
      'https://api.example.com:8443/items', // and so is another port
      'https://api.example.com.evil.example/items',
      new Request('https://evil.example.net/steal'),
      'data:text/plain,hello', // an opaque origin ("null") is never anyone's
      'about:blank',
    ]) {
      const error = await authFetch(url).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AuthError)
      expect(error).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
      expect((error as AuthError).message).toContain('is not in allowedOrigins')
      expect((error as AuthError).message).not.toContain(token())
    }
    expect(api.sent).toEqual([])
  })

  it('an empty list allows only the page origin; an entry that is not an origin fails at creation', async () => {
    const { authFetch, api, client } = withOrigins([])
    expect((await authFetch('/me')).status).toBe(200)
    await expect(authFetch('https://api.example.com/x')).rejects.toMatchObject({
      code: 'ConfigurationError',
    })
    expect(api.sent).toHaveLength(1)
    for (const entry of [
      'api.example.com',
      '*',
      'https://api.example.com/v1', // a path would promise a narrower grant than the origin
      'https://user@api.example.com',
      'ftp://files.example.com',
      'data:text/plain,x',
    ]) {
      expect(() => createAuthFetch(client, { allowedOrigins: [entry] })).toThrow(
        new RegExp(`allowedOrigins: "${entry.replace(/[*.]/g, '\\$&')}" is not an origin`),
      )
    }
    expect(() =>
      createAuthFetch(client, { allowedOrigins: 'https://api.example.com' as unknown as string[] }),
    ).toThrow(AuthError)
  })
})
