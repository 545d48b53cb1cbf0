import { describe, expect, it } from 'vitest'
import { defaultBackoff } from '../../../src/core/refresh/backoff'
import { AuthError } from '../../../src/core/errors'
import { leadTimeMs, jitterSpanMs } from '../../../src/core/refresh/schedule'
import { isTombstone, parseSession } from '../../../src/core/storedSession'
import { authResult, fakeJwt } from '../../helpers/tokens'
import { flush } from '../../helpers/manualClock'
import { setup } from '../../helpers/testClient'

const hour = 3_600_000

/** Sign-out leaves a token-free tombstone, never a session. */
function expectSignedOut(map: Map<string, string>) {
  for (const value of map.values()) {
    expect(parseSession(value).ok).toBe(false)
    expect(isTombstone(value)).toBe(true)
    expect(value).not.toMatch(/eyJ/)
  }
}

describe('createAuthClient: state', () => {
  it('is loading until started, then reads storage once', () => {
    const { client } = setup()
    expect(client.getSnapshot().status).toBe('loading')
    client.mount()
    expect(client.getSnapshot().status).toBe('unauthenticated')
  })

  it('setSession stores one versioned blob and replaces (never mutates) the snapshot', () => {
    const { client, transport, storage, of } = setup()
    client.mount()
    const before = client.getSnapshot()
    const tokens = client.setSession(transport.signIn())
    const after = client.getSnapshot()
    expect(after).not.toBe(before)
    expect(before.status).toBe('unauthenticated')
    expect(after).toMatchObject({ status: 'authenticated', refresh: 'idle', error: null })
    expect(tokens.version).toBe(1)
    expect(Object.isFrozen(after)).toBe(true)
    expect([...storage.map.keys()]).toEqual(['react-cognito-refresh.testclient'])
    expect(JSON.parse(storage.map.get('react-cognito-refresh.testclient')!)).toMatchObject({
      format: 1,
      version: 1,
    })
    expect(of('signedIn')).toEqual([
      { sessionId: tokens.sessionId, userId: expect.any(String), fromOtherTab: false },
    ])
  })

  it('keeps the snapshot reference when nothing changed', async () => {
    const { client, transport, clock } = setup()
    client.mount()
    client.setSession(transport.signIn())
    const snap = client.getSnapshot()
    await clock.advance(1000)
    expect(client.getSnapshot()).toBe(snap)
  })

  it('rejects a malformed sign-in result and keeps the current session', () => {
    const { client, transport } = setup()
    client.mount()
    client.setSession(transport.signIn())
    const snap = client.getSnapshot()
    expect(() => client.setSession({ AccessToken: 'not-a-jwt', ExpiresIn: 3600 })).toThrow(
      expect.objectContaining({ code: 'InvalidSession' }),
    )
    expect(client.getSnapshot()).toBe(snap)
  })

  it('restores a session from storage in a new client', () => {
    const first = setup()
    first.client.mount()
    const tokens = first.client.setSession(first.transport.signIn())
    const second = setup({ storage: first.storage, clock: first.clock })
    second.client.mount()
    expect(second.client.getSnapshot().tokens).toMatchObject({
      sessionId: tokens.sessionId,
      version: 1,
    })
  })
})

describe('createAuthClient: proactive schedule', () => {
  it('refreshes once, inside the jittered lead window before expiry', async () => {
    const { client, transport, clock, of } = setup({ random: () => 0.5 })
    client.mount()
    const tokens = client.setSession(transport.signIn())
    const lifetime = tokens.expiresAt - tokens.receivedAt
    const due = tokens.expiresAt - leadTimeMs(lifetime) - 0.5 * jitterSpanMs(lifetime)
    await clock.advance(due - clock.now() - 1)
    expect(transport.calls).toHaveLength(0)
    await clock.advance(1)
    expect(transport.calls).toHaveLength(1)
    expect(of('tokensRefreshed')).toHaveLength(1)
    expect(client.getSnapshot().tokens?.version).toBe(2)
  })

  it('keeps refreshing once per lifetime for many lifetimes', async () => {
    const { client, transport, clock } = setup({ expiresIn: 300 })
    client.mount()
    client.setSession(transport.signIn())
    await clock.advance(10 * 300_000)
    // Each token is refreshed once, 60-90 s before it lapses (every 210-240 s), one call per version.
    expect(transport.calls.length).toBe(client.getSnapshot().tokens!.version - 1)
    expect(transport.calls.length).toBeGreaterThanOrEqual(Math.floor(3_000 / 240))
    expect(transport.calls.length).toBeLessThanOrEqual(Math.ceil(3_000 / 210))
    expect(client.getSnapshot().tokens!.expiresAt).toBeGreaterThan(clock.now())
  })

  it('spreads clients by jitter: each refreshes between lead and lead + jitter span before expiry', async () => {
    const times: number[] = []
    for (const r of [0, 0.25, 0.999]) {
      const { client, transport, clock } = setup({ random: () => r })
      client.mount()
      const tokens = client.setSession(transport.signIn())
      while (transport.calls.length === 0) await clock.advance(1_000)
      const before = tokens.expiresAt - clock.now()
      // 1-hour tokens: 5 min lead, 6 min jitter span (10% of the lifetime).
      expect(before).toBeGreaterThanOrEqual(5 * 60_000 - 1_000)
      expect(before).toBeLessThanOrEqual(11 * 60_000)
      times.push(before)
    }
    expect(new Set(times).size).toBe(3)
    expect(times[0]).toBeLessThan(times[2]!)
  })

  it('scales the lead time with short lifetimes so seconds-long tokens do not loop', () => {
    expect(leadTimeMs(5_000)).toBe(2_500)
    expect(leadTimeMs(5 * 60_000)).toBe(60_000)
    expect(leadTimeMs(24 * hour)).toBe(5 * 60_000)
  })

  it('catches up after a sleep: the watchdog refreshes within 5 s of waking', async () => {
    const { client, transport, clock } = setup()
    client.mount()
    client.setSession(transport.signIn())
    clock.sleep(2 * hour) // timers frozen, wall clock moves on; the token is now expired
    await clock.advance(5_000)
    expect(transport.calls).toHaveLength(1)
    expect(client.getSnapshot().tokens!.expiresAt).toBeGreaterThan(clock.now())
  })

  it('re-checks at once when the page becomes visible again', async () => {
    const { client, transport, clock, life } = setup()
    client.mount()
    client.setSession(transport.signIn())
    clock.sleep(2 * hour)
    life.fire('visible')
    await flush()
    expect(transport.calls).toHaveLength(1)
  })

  it('refreshes on read when a timer was late, with one call for concurrent readers', async () => {
    const { client, transport, clock } = setup()
    client.setSession(transport.signIn()) // not mounted: no timers at all
    clock.sleep(2 * hour)
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => client.getAccessToken()))
    expect(transport.calls).toHaveLength(1)
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).toBe(client.getSnapshot().tokens!.accessToken)
  })

  it('returns a token with enough validity without any call', async () => {
    const { client, transport } = setup()
    client.mount()
    const tokens = client.setSession(transport.signIn())
    await expect(client.getAccessToken({ minValiditySeconds: 60 })).resolves.toBe(
      tokens.accessToken,
    )
    expect(transport.calls).toHaveLength(0)
  })

  it('honours minValiditySeconds on read', async () => {
    const { client, transport, clock } = setup()
    const tokens = client.setSession(transport.signIn())
    await clock.advance(hour - 20 * 60_000) // 20 minutes left, before the proactive window
    await client.getAccessToken({ minValiditySeconds: 10 * 60 })
    expect(transport.calls).toHaveLength(0)
    await client.getAccessToken({ minValiditySeconds: 25 * 60 })
    expect(transport.calls).toHaveLength(1)
    expect(client.getSnapshot().tokens!.version).toBe(tokens.version + 1)
  })

  it('joins concurrent refresh() calls into one network call', async () => {
    const { client, transport } = setup()
    client.setSession(transport.signIn())
    const results = await Promise.all([1, 2, 3].map(() => client.refresh({ force: true })))
    expect(transport.calls).toHaveLength(1)
    expect(results[0]).toBe(results[2])
  })

  it('refresh() without force does nothing while the token is not due', async () => {
    const { client, transport } = setup()
    const tokens = client.setSession(transport.signIn())
    await expect(client.refresh()).resolves.toBe(tokens)
    expect(transport.calls).toHaveLength(0)
  })
})

describe('createAuthClient: failures', () => {
  it('retries a network error with backoff, keeping the session and the access token', async () => {
    const { client, transport, clock, of } = setup({ random: () => 0.9 })
    client.mount()
    const tokens = client.setSession(transport.signIn())
    transport.fail('NetworkError')
    transport.fail('InternalErrorException')
    await expect(client.refresh({ force: true })).rejects.toMatchObject({ code: 'NetworkError' })
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      refresh: 'retrying',
      tokens,
    })
    expect(client.getSnapshot().error?.code).toBe('NetworkError')
    const [failed] = of('refreshFailed')
    expect(failed).toMatchObject({ willRetry: true })
    expect(failed!.retryInMs).toBeLessThan(1_000) // full jitter in [0, base)
    await expect(client.getAccessToken()).resolves.toBe(tokens.accessToken)
    await clock.advance(1_000)
    expect(transport.calls).toHaveLength(2)
    expect(of('refreshFailed')[1]!.retryInMs).toBeLessThan(2_000)
    await clock.advance(2_000)
    expect(transport.calls).toHaveLength(3)
    expect(client.getSnapshot()).toMatchObject({
      status: 'authenticated',
      refresh: 'idle',
      error: null,
    })
  })

  it('keeps an access token through a failed refresh only while it has more than a second left', async () => {
    // exp counts whole seconds: in its last second the server may already see the token expired.
    const { client, transport, clock } = setup()
    const tokens = client.setSession(transport.signIn()) // not mounted: no timer refreshes it
    await clock.advance(tokens.expiresAt - clock.now() - 5_000)
    transport.fail('NetworkError')
    await expect(client.getAccessToken()).resolves.toBe(tokens.accessToken) // 5 s left: kept
    await clock.advance(4_500)
    transport.fail('NetworkError')
    const late = await client.getAccessToken().catch((e: unknown) => e)
    expect(late).toMatchObject({ code: 'NetworkError', kind: 'retryable' }) // 0.5 s left
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', tokens })
  })

  it('honours Retry-After on throttling', async () => {
    const { client, transport, clock } = setup()
    client.mount()
    client.setSession(transport.signIn())
    transport.fail('TooManyRequestsException', { retryAfterMs: 20_000 })
    await client.refresh({ force: true }).catch(() => undefined)
    await clock.advance(19_999)
    expect(transport.calls).toHaveLength(1)
    await clock.advance(1)
    expect(transport.calls).toHaveLength(2)
  })

  it('retries at once when the browser comes back online', async () => {
    const { client, transport, clock, life } = setup({ backoff: { baseMs: 60_000, maxMs: 60_000 } })
    client.mount()
    client.setSession(transport.signIn())
    transport.fail('NetworkError')
    await client.refresh({ force: true }).catch(() => undefined)
    await clock.advance(10)
    life.fire('online')
    await flush()
    expect(transport.calls).toHaveLength(2)
  })

  it('grows the backoff ceiling exponentially up to the cap', async () => {
    const { client, transport, clock, of } = setup({
      random: () => 0.999,
      backoff: { baseMs: 1_000, maxMs: 8_000 },
    })
    client.mount()
    client.setSession(transport.signIn())
    for (let i = 0; i < 6; i++) transport.fail('NetworkError')
    await client.refresh({ force: true }).catch(() => undefined)
    await clock.advance(60_000)
    const delays = of('refreshFailed').map((e) => e.retryInMs)
    expect(delays).toEqual([999, 1998, 3996, 7992, 7992, 7992])
  })

  it('caps the backoff by the access token: up to 5 min while it is good, a minute near expiry', async () => {
    // 1-hour tokens and a server that stays down: the waits grow to the 5-minute cap while the
    // token has half an hour or more left, then shrink to at most a minute as expiry nears.
    const { client, transport, clock, of } = setup({ random: () => 0.999, expiresIn: 3600 })
    client.mount()
    const tokens = client.setSession(transport.signIn())
    for (let i = 0; i < 200; i++) transport.fail('NetworkError')
    await client.refresh({ force: true }).catch(() => undefined)
    await clock.advance(3_600_000)
    const failures = of('refreshFailed')
    const delays = failures.map((e) => e.retryInMs!)
    expect(Math.max(...delays)).toBe(299_700) // 0.999 of the 5-minute cap
    expect(delays.slice(0, 4)).toEqual([999, 1998, 3996, 7992])
    // Every wait respected the cap for the time it was scheduled at (the token's validity left).
    let at = 0
    for (const delay of delays) {
      const remaining = tokens.expiresAt - (clock.now() - 3_600_000 + at)
      const cap = Math.min(300_000, Math.max(60_000, Math.abs(remaining) / 2))
      expect(delay).toBeLessThan(cap)
      at += delay
    }
    const nearExpiry = delays.filter((_, i) => {
      const scheduledAt = delays.slice(0, i).reduce((a, b) => a + b, 0)
      return Math.abs(tokens.expiresAt - (clock.now() - 3_600_000 + scheduledAt)) < 120_000
    })
    expect(nearExpiry.length).toBeGreaterThan(0)
    expect(Math.max(...nearExpiry)).toBeLessThan(60_000)
  })

  it('does not storm the server when reads continue during an outage', async () => {
    const { client, transport, clock } = setup({ expiresIn: 300 })
    client.mount()
    client.setSession(transport.signIn())
    for (let i = 0; i < 1000; i++) transport.fail('NetworkError')
    await clock.advance(301_000) // past expiry
    const before = transport.calls.length
    const reads = await Promise.allSettled(
      Array.from({ length: 50 }, () => client.getAccessToken()),
    )
    expect(transport.calls.length - before).toBeLessThanOrEqual(1)
    expect(reads.every((r) => r.status === 'rejected')).toBe(true)
    expect((reads[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'NetworkError',
      kind: 'retryable',
    })
    expect(client.getSnapshot().status).toBe('authenticated') // degraded, not signed out
  })

  it('ends the session on a terminal answer, clears storage and tells other tabs', async () => {
    const { client, transport, storage, hub, signOuts } = setup()
    client.mount()
    client.setSession(transport.signIn())
    transport.fail('NotAuthorizedException')
    await expect(client.refresh({ force: true })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    })
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      tokens: null,
      signOutReason: 'rejected',
    })
    expectSignedOut(storage.map)
    expect(signOuts()).toEqual([
      {
        reason: 'rejected',
        fromOtherTab: false,
        error: expect.objectContaining({ code: 'NotAuthorizedException' }),
      },
    ])
    expect(hub.log.at(-1)).toMatchObject({ type: 'signedOut', reason: 'rejected' })
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'SignedOut' })
  })

  it('keeps the session on a configuration error and waits the maximum backoff', async () => {
    const { client, transport, clock } = setup()
    client.mount()
    const tokens = client.setSession(transport.signIn())
    transport.fail('InvalidParameterException')
    await client.refresh({ force: true }).catch(() => undefined)
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', refresh: 'idle', tokens })
    expect(client.getSnapshot().error).toBeInstanceOf(AuthError)
    await clock.advance(defaultBackoff.maxMs - 1) // 5 min
    expect(transport.calls).toHaveLength(1)
    await clock.advance(1)
    expect(transport.calls).toHaveLength(2)
  })

  it('treats an unusable 200 reply as a retryable InvalidResponse', async () => {
    const { client, transport } = setup()
    client.setSession(transport.signIn())
    for (const bad of [
      {},
      { AccessToken: 'x.y', ExpiresIn: 3600 },
      { AccessToken: authResult().AccessToken, ExpiresIn: -5 },
      { AccessToken: authResult().AccessToken, ExpiresIn: 1e9 },
      // No ExpiresIn and no exp/iat to take the lifetime from (with them, exp - iat is used).
      { AccessToken: fakeJwt({ sub: 'u' }) },
    ]) {
      transport.next(() => bad as never)
      await expect(client.refresh({ force: true })).rejects.toMatchObject({
        code: 'InvalidResponse',
        kind: 'retryable',
      })
      expect(client.getSnapshot().status).toBe('authenticated')
    }
  })

  it('turns a transport bug (a plain Error) into a retryable error without copying its message', async () => {
    const { client, transport } = setup()
    client.setSession(transport.signIn())
    transport.next(() => {
      throw new Error('boom with secret-ish text')
    })
    const error = (await client.refresh({ force: true }).catch((e: unknown) => e)) as AuthError
    expect(error).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
    expect(error.message).not.toContain('secret-ish')
  })
})

describe('createAuthClient: rotation and devices', () => {
  it('uses the rotated refresh token for the next refresh and stores it', async () => {
    const { client, transport, storage } = setup({ rotate: true })
    const signIn = transport.signIn()
    client.setSession(signIn)
    const second = await client.refresh({ force: true })
    expect(second.refreshToken).not.toBe(signIn.RefreshToken)
    expect(storage.map.get('react-cognito-refresh.testclient')).toContain(second.refreshToken)
    await client.refresh({ force: true })
    expect(transport.calls.map((c) => c.refreshToken)).toEqual([
      signIn.RefreshToken,
      second.refreshToken,
    ])
  })

  it('keeps the refresh token when the reply has none (rotation off)', async () => {
    const { client, transport } = setup()
    const signIn = transport.signIn()
    client.setSession(signIn)
    expect((await client.refresh({ force: true })).refreshToken).toBe(signIn.RefreshToken)
  })

  it('sends the device key and keeps a new one from NewDeviceMetadata', async () => {
    const { client, transport } = setup()
    client.setSession(transport.signIn({ deviceKey: 'us-east-1_aaaa-1111' }))
    transport.next(() => authResult({ refreshToken: null, deviceKey: 'us-east-1_bbbb-2222' }))
    await client.refresh({ force: true })
    await client.refresh({ force: true })
    expect(transport.calls.map((c) => c.deviceKey)).toEqual([
      'us-east-1_aaaa-1111',
      'us-east-1_bbbb-2222',
    ])
  })

  it("drops a refresh reply that carries another user's tokens, keeping the session", async () => {
    // A custom backend or a caching proxy that mixes users up must not switch the signed-in user.
    const { client, transport, clock, of, signOuts } = setup()
    client.mount()
    const tokens = client.setSession(transport.signIn())
    transport.next(() => authResult({ sub: '99999999-8888-4777-8666-555555555555' }))
    const error = await client.refresh({ force: true }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'InvalidResponse', kind: 'fatal' })
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', tokens })
    await expect(client.getAccessToken()).resolves.toBe(tokens.accessToken)
    expect(of('tokensRefreshed')).toEqual([])
    expect(signOuts()).toEqual([])
    // The next attempt (after the cap) gets the right user's tokens and goes through.
    await clock.advance(5 * 60_000)
    expect(client.getSnapshot().tokens?.version).toBe(2)
  })

  it('passes the Cognito username and client metadata to the transport', async () => {
    const { client, transport } = setup({ clientMetadata: { app: 'x' } })
    client.setSession(transport.signIn({ username: 'alice' }))
    await client.refresh({ force: true })
    expect(transport.calls[0]).toMatchObject({ username: 'alice', clientMetadata: { app: 'x' } })
  })
})

describe('createAuthClient: sign-out and disposal', () => {
  it('signOut revokes the refresh token, clears storage and broadcasts', async () => {
    const { client, transport, storage, hub, signOuts } = setup()
    client.mount()
    const signIn = transport.signIn()
    client.setSession(signIn)
    await client.signOut()
    expect(transport.revoked).toEqual([signIn.RefreshToken])
    expectSignedOut(storage.map)
    expect(client.getSnapshot()).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'signOut',
    })
    expect(signOuts()[0]).toMatchObject({ reason: 'signOut', fromOtherTab: false })
    expect(hub.log.at(-1)).toMatchObject({ type: 'signedOut', reason: 'signOut' })
  })

  it('ends the local session even when revoking fails', async () => {
    const { client, transport, of } = setup()
    client.setSession(transport.signIn())
    transport.revoke = async () => {
      throw new AuthError('NetworkError', 'offline')
    }
    await client.signOut()
    expect(client.getSnapshot().status).toBe('unauthenticated')
    expect(of('revokeFailed')).toHaveLength(1)
  })

  it('discards a refresh that finishes after sign-out', async () => {
    const { client, transport, storage, of } = setup()
    client.setSession(transport.signIn())
    const release = transport.gate()
    const pending = client.refresh({ force: true })
    await flush()
    await client.signOut()
    release()
    await expect(pending).rejects.toMatchObject({ code: 'SignedOut' })
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', tokens: null })
    expectSignedOut(storage.map)
    expect(of('refreshDiscarded')).toHaveLength(1)
  })

  it('dispose releases every timer, listener and the channel', async () => {
    const { client, transport, clock, life, channel } = setup()
    client.mount()
    client.setSession(transport.signIn())
    expect(clock.pendingTimers).toBe(1)
    expect(life.listenerCount).toBe(1)
    client.dispose()
    expect(clock.pendingTimers).toBe(0)
    expect(life.listenerCount).toBe(0)
    expect((channel as unknown as { listenerCount: number }).listenerCount).toBe(0)
    client.mount()
    expect(clock.pendingTimers).toBe(0)
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'Disposed' })
  })

  it('a StrictMode-style mount, unmount, mount keeps one timer and one listener', () => {
    const { client, transport, clock, life, channel } = setup()
    client.setSession(transport.signIn())
    const unmount = client.mount()
    unmount()
    expect(clock.pendingTimers).toBe(0)
    expect(life.listenerCount).toBe(0)
    client.mount()
    expect(clock.pendingTimers).toBe(1)
    expect(life.listenerCount).toBe(1)
    expect((channel as unknown as { listenerCount: number }).listenerCount).toBe(1)
  })
})

describe('createAuthClient: adopting expired tokens', () => {
  it('accepts ExpiresIn 0 from setSession and refreshes on the first read', async () => {
    const { client, transport } = setup()
    const signIn = transport.signIn()
    const stale = client.setSession({ ...signIn, ExpiresIn: 0 })
    expect(stale.expiresAt).toBe(stale.receivedAt)
    const token = await client.getAccessToken()
    expect(transport.calls).toHaveLength(1)
    expect(token).not.toBe(signIn.AccessToken)
  })

  it('still refuses ExpiresIn 0 in a refresh reply', async () => {
    const { client, transport } = setup()
    client.setSession(transport.signIn())
    transport.next(() => ({ ...authResult(), ExpiresIn: 0 }))
    await expect(client.refresh({ force: true })).rejects.toMatchObject({ code: 'InvalidResponse' })
  })
})
