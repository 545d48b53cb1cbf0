/**
 * A fake protected API with fetch's signature: 200 with a small profile for an access token the
 * story transport issued and that has not expired, 401 otherwise. `rejectNext()` makes the next
 * request fail with 401 whatever its token, to show useAuthFetch's single retry.
 */
import { jwtDecode } from 'jwt-decode'
import type { StoryTransport } from './transport'

export interface FakeApi {
  fetch: typeof fetch
  rejectNext(count?: number): void
  readonly requests: number
}

export const fakeApiUrl = 'https://api.example.com/profile'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

export function createFakeApi(transport: StoryTransport): FakeApi {
  let reject = 0
  let requests = 0
  const fakeFetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    requests++
    await new Promise((resolve) => setTimeout(resolve, 120))
    const header = new Headers(init?.headers).get('Authorization') ?? ''
    const token = header.replace(/^Bearer\s+/i, '')
    if (reject > 0) {
      reject--
      return json(401, { message: 'The access token expired' })
    }
    if (!transport.accepts(token)) return json(401, { message: 'The access token is invalid' })
    const claims = jwtDecode<{ username?: string; sub?: string; exp?: number }>(token)
    return json(200, { username: claims.username, sub: claims.sub, expiresAt: claims.exp })
  }
  return {
    fetch: fakeFetch as typeof fetch,
    rejectNext(count = 1) {
      reject += count
    },
    get requests() {
      return requests
    },
  }
}
