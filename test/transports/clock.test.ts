import { describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../../src/core/errors'
import { backendTransport } from '../../src/core/transports/backend'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { oauth2Transport } from '../../src/core/transports/oauth2'
import type { Transport } from '../../src/core/transports/types'
import { ManualClock } from '../helpers/manualClock'
import { setup } from '../helpers/testClient'

/** A fetch that never answers: it rejects only when its signal is aborted. */
const silentFetch = vi.fn(
  (_url: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener('abort', () =>
        reject(new DOMException('aborted', 'AbortError')),
      )
    }),
) as unknown as typeof fetch

const replyFetch = (status: number, headers: Record<string, string>, body: string) =>
  (async () => new Response(body, { status, headers })) as typeof fetch

const transports = (doFetch: typeof fetch, timeoutMs?: number): Transport[] => {
  const http = { fetch: doFetch, ...(timeoutMs !== undefined && { timeoutMs }) }
  return [
    cognitoTransport({ clientId: 'client', endpoint: 'http://127.0.0.1:9/', ...http }),
    oauth2Transport({ clientId: 'client', domain: 'auth.example.com', ...http }),
    backendTransport({ url: 'http://127.0.0.1:9/refresh', ...http }),
  ]
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('transports on the injected clock', () => {
  it.each(transports(silentFetch, 5_000).map((t) => [t.name, t] as const))(
    '%s: the call times out when the given clock says so, not the real one',
    async (_name, transport) => {
      const clock = new ManualClock()
      const signal = new AbortController().signal
      let settled = false
      const pending = failure(transport.refresh({ refreshToken: 'rt' }, { signal, clock }))
      void pending.finally(() => (settled = true))
      await clock.advance(4_999)
      expect(settled).toBe(false)
      await clock.advance(1)
      expect((await pending).code).toBe('TimeoutError')
      expect(clock.pendingTimers).toBe(0) // the timeout timer was the clock's, and is cleared
    },
  )

  it('measures a Retry-After HTTP date against the given clock', async () => {
    const clock = new ManualClock(Date.UTC(2031, 0, 1, 12)) // years away from the real time
    const date = new Date(clock.now() + 30_000).toUTCString()
    const cognitoBody = '{"__type":"TooManyRequestsException","message":"Rate exceeded"}'
    const throttled = [
      transports(replyFetch(400, { 'retry-after': date }, cognitoBody))[0]!,
      transports(replyFetch(429, { 'retry-after': date }, '{"error":"too_many_requests"}'))[1]!,
      transports(replyFetch(429, { 'retry-after': date }, '{}'))[2]!,
    ]
    for (const transport of throttled) {
      const signal = new AbortController().signal
      const error = await failure(transport.refresh({ refreshToken: 'rt' }, { signal, clock }))
      expect(error.retryAfterMs).toBe(30_000)
    }
  })

  it('falls back to the system clock when called directly', async () => {
    const date = new Date(Date.now() + 60_000).toUTCString()
    const [cognito] = transports(
      replyFetch(
        400,
        { 'retry-after': date },
        '{"__type":"TooManyRequestsException","message":"Rate exceeded"}',
      ),
    )
    const error = await failure(
      cognito!.refresh({ refreshToken: 'rt' }, { signal: new AbortController().signal }),
    )
    expect(error.retryAfterMs).toBeGreaterThan(50_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000)
  })
})

describe('the client hands its clock to the transport', () => {
  it('on refresh and on revoke', async () => {
    const { client, transport, clock } = setup()
    const refresh = vi.spyOn(transport, 'refresh')
    const revoke = vi.spyOn(transport, 'revoke')
    client.mount()
    client.setSession(transport.signIn())
    await client.refresh({ force: true })
    expect(refresh.mock.calls[0]![1].clock).toBe(clock)
    await client.signOut()
    expect(revoke.mock.calls[0]![1].clock).toBe(clock)
  })
})
