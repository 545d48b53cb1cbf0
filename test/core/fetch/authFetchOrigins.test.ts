// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { AuthError } from '../../../src/core/errors'
import { createAuthFetch } from '../../../src/core/fetch/authFetch'
import { env } from './authFetchFakes'

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

describe('createAuthFetch: how fetch is called', () => {
  it("calls fetch as a plain function, as a browser's native fetch requires", async () => {
    const t = env()
    // A browser's fetch throws "Illegal invocation" when called with any `this` but the window.
    const strict = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation')
      return t.api.fetch(input, init)
    }
    const authFetch = createAuthFetch(t.client, { fetch: strict as typeof fetch })
    expect((await authFetch('/me')).status).toBe(200)
    expect((await authFetch('/me', { redirect: 'follow' })).status).toBe(200)
  })
})
