import { describe, expect, it } from 'vitest'
import type { AuthClient } from '../../../src/core/client/authClient'
import type { TokenSet } from '../../../src/core/tokens'
import { createAuthFetch } from '../../../src/core/fetch/authFetch'
import { flush } from '../../helpers/manualClock'

/**
 * A client that models the `refresh({ force, rejectedToken })` contract the fetch relies on:
 * - the current token is not `rejectedToken`: resolve with the current tokens, no refresh;
 * - the current generation came from a refresh forced for a rejected token: the same;
 * - otherwise one forced refresh, shared by concurrent callers.
 * A forced refresh without `rejectedToken` always refreshes (the old contract).
 */
function fakeClient() {
  let generation = 0
  let forcedForRejected = false
  let inflight: Promise<TokenSet> | undefined
  const forced: Array<string | undefined> = []
  const tokens = () => ({ accessToken: `access-${generation}` }) as TokenSet
  const client = {
    getSnapshot: () => ({ tokens: tokens() }),
    getAccessToken: async () => tokens().accessToken,
    refresh({ force = false, rejectedToken }: { force?: boolean; rejectedToken?: string } = {}) {
      if (rejectedToken !== undefined) {
        if (tokens().accessToken !== rejectedToken || forcedForRejected) {
          return Promise.resolve(tokens())
        }
      }
      if (!force) return Promise.resolve(tokens())
      inflight ??= (async () => {
        forced.push(rejectedToken)
        await flush() // a round trip to Cognito
        generation++
        forcedForRejected = rejectedToken !== undefined
        inflight = undefined
        return tokens()
      })()
      return inflight
    },
    /** Another tab, or the timer, refreshed: a new generation nobody has refused yet. */
    rotate() {
      generation++
      forcedForRejected = false
    },
  }
  return { client: client as unknown as AuthClient & typeof client, forced }
}

/** An API that refuses every token. */
function alwaysUnauthorized() {
  const sent: Array<string | null> = []
  const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Headers(init?.headers).get('authorization'))
    await flush()
    return new Response('no', { status: 401 })
  }
  return { fetch, sent }
}

const allowedOrigins = ['https://api.example']

describe('createAuthFetch: a 401 storm costs at most one refresh', () => {
  it('100 concurrent requests to an API that always says 401: one forced refresh', async () => {
    const { client, forced } = fakeClient()
    const api = alwaysUnauthorized()
    const authFetch = createAuthFetch(client, { fetch: api.fetch, allowedOrigins })
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => authFetch(`https://api.example/items/${i}`)),
    )
    expect(responses.every((r) => r.status === 401)).toBe(true)
    expect(forced).toEqual(['access-0'])
    // Each went out with the refused token and once more with the one refresh's token.
    expect(api.sent.filter((a) => a === 'Bearer access-0')).toHaveLength(100)
    expect(api.sent.filter((a) => a === 'Bearer access-1')).toHaveLength(100)
  })

  it('100 sequential requests to an API that always says 401: one forced refresh', async () => {
    const { client, forced } = fakeClient()
    const api = alwaysUnauthorized()
    const authFetch = createAuthFetch(client, { fetch: api.fetch, allowedOrigins })
    for (let i = 0; i < 100; i++) {
      expect((await authFetch(`https://api.example/items/${i}`)).status).toBe(401)
    }
    expect(forced).toEqual(['access-0'])
    // The first request is retried with the new token; the 99 others are not retried at all,
    // since the refresh would give them the same token back.
    expect(api.sent).toEqual(['Bearer access-0', ...Array(100).fill('Bearer access-1')])
  })

  it('a 401 after the token changed goes back with the new token and no refresh', async () => {
    const { client, forced } = fakeClient()
    const sent: Array<string | null> = []
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get('authorization')
      sent.push(authorization)
      if (authorization === 'Bearer access-0') {
        await held
        return new Response('stale', { status: 401 })
      }
      return new Response('ok', { status: 200 })
    }
    const authFetch = createAuthFetch(client, { fetch, allowedOrigins })
    const pending = authFetch('https://api.example/me')
    await flush()
    client.rotate() // refreshed elsewhere while the request was out
    release()
    const response = await pending
    expect(response.status).toBe(200)
    expect(sent).toEqual(['Bearer access-0', 'Bearer access-1'])
    expect(forced).toEqual([])
  })

  it('a new generation nobody refused yet earns one more refresh when it is refused', async () => {
    const { client, forced } = fakeClient()
    const api = alwaysUnauthorized()
    const authFetch = createAuthFetch(client, { fetch: api.fetch, allowedOrigins })
    await authFetch('https://api.example/a')
    client.rotate() // e.g. the scheduled refresh: access-2, not produced for a refusal
    await authFetch('https://api.example/b')
    await authFetch('https://api.example/c')
    expect(forced).toEqual(['access-0', 'access-2'])
  })
})
