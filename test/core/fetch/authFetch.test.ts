import { describe, expect, it } from 'vitest'
import { AuthError } from '../../../src/core/errors'
import { createAuthFetch } from '../../../src/core/fetch/authFetch'
import { flush } from '../../helpers/manualClock'
import { setup } from '../../helpers/testClient'
import { apiOrigin, env, fakeApi } from './authFetchFakes'

const hour = 3_600_000

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
