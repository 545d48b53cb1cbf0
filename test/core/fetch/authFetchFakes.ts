import { createAuthFetch } from '../../../src/core/fetch/authFetch'
import { setup } from '../../helpers/testClient'

export const apiOrigin = 'https://api.example'

interface Sent {
  authorization: string | null
  body: string | null
  signal: AbortSignal | null | undefined
}

/**
 * An API that answers 401 to the tokens in `revoked` and 200 (echoing the body) otherwise. Replies
 * wait while `hold()` is in force. Records what it was sent.
 */
export function fakeApi() {
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

export function env() {
  const t = setup()
  t.client.mount()
  t.client.setSession(t.transport.signIn())
  const api = fakeApi()
  const authFetch = createAuthFetch(t.client, { fetch: api.fetch, allowedOrigins: [apiOrigin] })
  const token = () => t.client.getSnapshot().tokens!.accessToken
  return { ...t, api, authFetch, token }
}
