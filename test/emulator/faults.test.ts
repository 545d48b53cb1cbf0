/** Fault injection from code and over HTTP, counters, the refresh log and reset. */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { call, classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const refresh = (emu: Emulator, token: string, clientId: string = classic.clientId) =>
  call(emu, 'GetTokensFromRefreshToken', { ClientId: clientId, RefreshToken: token })

async function control(emu: Emulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    ...(body !== undefined && {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

async function outcomes(emu: Emulator, token: string, count: number): Promise<string[]> {
  const result: string[] = []
  for (let i = 0; i < count; i += 1) {
    const reply = await refresh(emu, token).catch(() => undefined)
    result.push(
      reply === undefined
        ? 'dropped'
        : reply.status === 200
          ? 'ok'
          : String(reply.json.__type ?? reply.status),
    )
  }
  return result
}

describe('fault injection', () => {
  it('adds latency, fixed or drawn from a seeded range', async () => {
    const emu = await start({ users: [user], clients: [classic], faults: { latencyMs: 200 } })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const started = performance.now()
    expect((await refresh(emu, session.RefreshToken)).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(190)
    emu.faults.set({ latencyMs: [10, 50] })
    const delays = Array.from(
      { length: 20 },
      () => emu.faults.decide('GetTokensFromRefreshToken').delayMs,
    )
    expect(delays.every((ms) => ms >= 10 && ms <= 50)).toBe(true)
    expect(new Set(delays).size).toBeGreaterThan(10)
    emu.reset({ stats: false, tokens: false, users: false })
    emu.faults.set({ latencyMs: [10, 50] })
    expect(
      Array.from({ length: 20 }, () => emu.faults.decide('GetTokensFromRefreshToken').delayMs),
    ).toEqual(delays)
  })

  it('draws error rates from the seed: the same seed replays the same outcomes', async () => {
    const faults = {
      errorRates: { InternalErrorException: 0.3, NotAuthorizedException: 0.2 },
      throttleRate: 0.1,
    }
    const runs: string[][] = []
    for (const seed of [42, 42, 7]) {
      const emu = await start({ users: [user], clients: [classic], seed, faults })
      const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
      runs.push(await outcomes(emu, session.RefreshToken, 40))
      await emu.stop()
    }
    expect(runs[0]).toEqual(runs[1])
    expect(runs[0]).not.toEqual(runs[2])
    const counts = (run: string[] | undefined) => new Set(run)
    expect(counts(runs[0])).toEqual(
      new Set([
        'ok',
        'InternalErrorException',
        'NotAuthorizedException',
        'TooManyRequestsException',
      ]),
    )
  })

  it('throttles with Retry-After and drops connections', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    emu.faults.set({ throttleRate: 1, retryAfterSeconds: 7 })
    const throttled = await refresh(emu, session.RefreshToken)
    expect(throttled.status).toBe(400)
    expect(throttled.json).toEqual({ __type: 'TooManyRequestsException', message: 'Rate exceeded' })
    expect(throttled.headers.get('retry-after')).toBe('7')
    emu.faults.set({ throttleRate: 0, dropRate: 1 })
    await expect(refresh(emu, session.RefreshToken)).rejects.toThrow()
    emu.faults.set({ dropRate: 0 })
    expect((await refresh(emu, session.RefreshToken)).status).toBe(200)
    expect(emu.stats().calls.GetTokensFromRefreshToken).toEqual({
      TooManyRequestsException: 1,
      dropped: 1,
      ok: 1,
    })
  })

  it('runs an outage window that ends by itself', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    emu.faults.outage(1000, { kind: 'html', status: 503 })
    const during = await refresh(emu, session.RefreshToken)
    expect(during.status).toBe(503)
    expect(during.headers.get('content-type')).toBe('text/html')
    expect(during.text).toContain('503 Service Temporarily Unavailable')
    const until = emu.faults.get().outage?.until ?? 0
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now()) + 10))
    expect((await refresh(emu, session.RefreshToken)).status).toBe(200)
    emu.faults.outage(10_000)
    expect((await refresh(emu, session.RefreshToken)).json.__type).toBe('InternalErrorException')
    emu.faults.set({ outage: null })
    expect((await refresh(emu, session.RefreshToken)).status).toBe(200)
  })

  it('limits faults to the operations named', async () => {
    const emu = await start({
      users: [user],
      clients: [classic],
      faults: {
        errorRates: { InternalErrorException: 1 },
        operations: ['GetTokensFromRefreshToken'],
      },
    })
    const signIn = await call(emu, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: classic.clientId,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    })
    expect(signIn.status).toBe(200)
    const token = (signIn.json.AuthenticationResult as { RefreshToken: string }).RefreshToken
    expect((await refresh(emu, token)).status).toBe(500)
  })

  it('validates fault settings and changes nothing on a bad one', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    emu.faults.set({ throttleRate: 0.5 })
    expect(() => emu.faults.set({ dropRate: 2, throttleRate: 0 })).toThrow(/dropRate/)
    expect(() => emu.faults.set({ latencyMs: [5, 1] })).toThrow(/min <= max/)
    expect(() => emu.faults.failNext({ kind: 'error' } as never)).toThrow(/failNext\[0\]\.code/)
    expect(emu.faults.get().throttleRate).toBe(0.5)
  })

  it('is driven over HTTP: faults, stats, users, sign-in and reset', async () => {
    const emu = await start({ users: [user], clients: [classic, rotating] })
    expect((await control(emu, 'GET', '')).json).toMatchObject({
      userPoolId: emu.userPoolId,
      issuer: emu.issuer,
    })
    expect(JSON.stringify((await control(emu, 'GET', '')).json)).not.toContain('Passw0rd')

    const added = await control(emu, 'POST', '/users', {
      username: 'carol',
      password: 'Passw0rd!carol',
      attributes: { email: 'c@example.com' },
    })
    expect(added.json.sub).toMatch(/^[0-9a-f-]{36}$/)
    const signedIn = await control(emu, 'POST', '/sign-in', {
      username: 'carol',
      clientId: rotating.clientId,
    })
    expect(typeof signedIn.json.RefreshToken).toBe('string')
    const wrong = await control(emu, 'POST', '/sign-in', { username: 'carol', password: 'nope' })
    expect(wrong).toEqual({
      status: 400,
      json: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    })

    const set = await control(emu, 'POST', '/faults', {
      failNext: [{ kind: 'throttle', retryAfterSeconds: 2 }],
      clockOffsetMs: 1000,
    })
    expect(set.json).toMatchObject({
      clockOffsetMs: 1000,
      queue: [{ kind: 'throttle', retryAfterSeconds: 2 }],
    })
    expect((await control(emu, 'POST', '/faults', { dropRate: 5 })).status).toBe(400)
    const token = signedIn.json.RefreshToken as string
    expect((await refresh(emu, token, rotating.clientId)).json.__type).toBe(
      'TooManyRequestsException',
    )
    expect((await refresh(emu, token, rotating.clientId)).status).toBe(200)

    const stats = (await control(emu, 'GET', '/stats')).json as {
      calls: Record<string, Record<string, number>>
      refreshes: Array<Record<string, unknown>>
    }
    expect(stats.calls.GetTokensFromRefreshToken).toEqual({ TooManyRequestsException: 1, ok: 1 })
    expect(stats.refreshes.map((r) => [r.seq, r.outcome, r.clientId])).toEqual([
      [1, 'TooManyRequestsException', rotating.clientId],
      [2, 'ok', rotating.clientId],
    ])
    expect(stats.refreshes[0]?.originJti).toBe(stats.refreshes[1]?.originJti)

    expect((await control(emu, 'PATCH', '/users/carol', { enabled: false })).status).toBe(200)
    expect((await control(emu, 'DELETE', '/users/carol')).json).toEqual({ deleted: true })
    expect((await control(emu, 'DELETE', '/faults')).json).toMatchObject({
      clockOffsetMs: 0,
      queue: [],
    })
    expect((await control(emu, 'GET', '/nothing')).status).toBe(404)

    expect((await control(emu, 'POST', '/reset', {})).json).toEqual({ reset: true })
    const after = emu.stats()
    expect(after.calls).toEqual({})
    expect(after.refreshes).toEqual([])
    expect((await refresh(emu, token, rotating.clientId)).json.message).toBe(
      'Invalid Refresh Token.',
    )
    expect((await control(emu, 'POST', '/sign-in', { username: 'carol' })).status).toBe(400)
  })

  it('resets in parts', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    await refresh(emu, session.RefreshToken)
    emu.faults.set({ throttleRate: 1 })
    emu.reset({ tokens: false, users: false })
    expect(emu.stats().calls).toEqual({})
    expect(emu.faults.get().throttleRate).toBe(0)
    expect((await refresh(emu, session.RefreshToken)).status).toBe(200)
  })

  it('logs the refresh calls in order with the family each used', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const a = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const b = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const aNext = (await refresh(emu, a.RefreshToken, rotating.clientId)).json
      .AuthenticationResult as { RefreshToken: string }
    await refresh(emu, b.RefreshToken, rotating.clientId)
    await refresh(emu, aNext.RefreshToken, rotating.clientId)
    await refresh(emu, 'unknown', rotating.clientId)
    const log = emu.stats().refreshes
    const family = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()).origin_jti as string
    expect(log.map((entry) => entry.originJti)).toEqual([
      family(a.AccessToken),
      family(b.AccessToken),
      family(a.AccessToken),
      undefined,
    ])
    expect(log.map((entry) => entry.outcome)).toEqual(['ok', 'ok', 'ok', 'NotAuthorizedException'])
    expect(log.map((entry) => entry.seq)).toEqual([1, 2, 3, 4])
  })
})
