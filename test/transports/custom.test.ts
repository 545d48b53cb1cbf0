import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../../src/core/errors'
import {
  backendSession,
  backendTransport,
  cookieRefreshToken,
} from '../../src/core/transports/backend'
import { customTransport } from '../../src/core/transports/custom'
import { drop, raw, startScriptedServer } from '../helpers/scriptedServer'

const json = { 'content-type': 'application/json' }
const tokens = { accessToken: 'a.b.c', idToken: 'd.e.f', expiresIn: 900 }
const refreshToken =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.K.IV.SECRETCIPHERTEXT.T'
const signal = () => new AbortController().signal

describe('customTransport', () => {
  it('hands the request and signal to your function and maps its result', async () => {
    const refresh = vi.fn(async () => ({
      ...tokens,
      refreshToken: 'next',
      deviceKey: 'k',
      deviceGroupKey: 'g',
    }))
    const t = customTransport({ refresh })
    const s = signal()
    const result = await t.refresh({ refreshToken, deviceKey: 'k', username: 'u' }, { signal: s })
    expect(refresh).toHaveBeenCalledWith({ refreshToken, deviceKey: 'k', username: 'u', signal: s })
    expect(result).toEqual({
      AccessToken: 'a.b.c',
      IdToken: 'd.e.f',
      ExpiresIn: 900,
      TokenType: 'Bearer',
      RefreshToken: 'next',
      NewDeviceMetadata: { DeviceKey: 'k', DeviceGroupKey: 'g' },
    })
    expect(t.name).toBe('custom')
    expect(t.revoke).toBeUndefined()
  })

  it('passes AuthErrors through and wraps anything else as a retryable NetworkError', async () => {
    const ended = new AuthError('NotAuthorizedException', 'gone')
    const t = customTransport({
      refresh: vi
        .fn()
        .mockRejectedValueOnce(ended)
        .mockRejectedValueOnce(new Error(`body ${refreshToken}`)),
    })
    await expect(t.refresh({ refreshToken }, { signal: signal() })).rejects.toBe(ended)
    const wrapped = await t.refresh({ refreshToken }, { signal: signal() }).then(
      () => expect.unreachable('should have failed'),
      (e: unknown) => e as AuthError,
    )
    expect(wrapped).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
    expect(wrapped.message).not.toContain('SECRETCIPHERTEXT')
  })

  it('revokes through your function', async () => {
    const revoke = vi.fn(async () => undefined)
    const t = customTransport({ name: 'mine', refresh: async () => tokens, revoke })
    await t.revoke!({ refreshToken }, { signal: signal() })
    expect(revoke).toHaveBeenCalledWith({ refreshToken, signal: expect.any(AbortSignal) })
  })
})

describe('backendTransport', () => {
  let server: Awaited<ReturnType<typeof startScriptedServer>>
  beforeAll(async () => {
    server = await startScriptedServer()
  })
  afterAll(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
  })
  const url = () => `${server.url}api/auth/refresh`
  const failure = (t: ReturnType<typeof backendTransport>) =>
    t.refresh({ refreshToken }, { signal: signal() }).then(
      () => expect.unreachable('should have failed'),
      (e: unknown) => e as AuthError,
    )

  it('cookie mode: sends no refresh token, with credentials include and your headers', async () => {
    const spy = vi.fn(fetch)
    server.reply(raw(200, json, JSON.stringify(tokens)))
    const t = backendTransport({ url: url(), fetch: spy, headers: { 'x-csrf': '1' } })
    const result = await t.refresh(
      {
        refreshToken: cookieRefreshToken,
        deviceKey: 'dk',
        username: 'u',
        clientMetadata: { a: 'b' },
      },
      { signal: signal() },
    )
    expect(spy.mock.calls[0]![1]).toMatchObject({ method: 'POST', credentials: 'include' })
    expect(server.requests[0]).toMatchObject({ url: '/api/auth/refresh' })
    expect(server.requests[0]!.headers['x-csrf']).toBe('1')
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      deviceKey: 'dk',
      clientMetadata: { a: 'b' },
    })
    expect(result).toMatchObject({ AccessToken: 'a.b.c', ExpiresIn: 900 })
    expect(result).not.toHaveProperty('RefreshToken')
  })

  it('cookie mode: drops a refresh token the backend should not have sent, and warns', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    server.reply(raw(200, json, JSON.stringify({ ...tokens, refreshToken })))
    const result = await backendTransport({ url: url() }).refresh(
      { refreshToken: cookieRefreshToken },
      { signal: signal() },
    )
    expect(result).not.toHaveProperty('RefreshToken')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).not.toContain('SECRET')
    warn.mockRestore()
  })

  it('body mode: sends the refresh token and takes a rotated one; accepts a Cognito reply', async () => {
    server.reply(
      raw(200, json, JSON.stringify({ ...tokens, refreshToken: 'rotated' })),
      raw(
        200,
        json,
        JSON.stringify({ AuthenticationResult: { AccessToken: 'x.y.z', ExpiresIn: 60 } }),
      ),
    )
    const t = backendTransport({ url: url(), refreshTokenIn: 'body', credentials: 'same-origin' })
    expect(await t.refresh({ refreshToken, username: 'u' }, { signal: signal() })).toMatchObject({
      RefreshToken: 'rotated',
    })
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ refreshToken, username: 'u' })
    expect(await t.refresh({ refreshToken }, { signal: signal() })).toEqual({
      AccessToken: 'x.y.z',
      ExpiresIn: 60,
    })
  })

  it('maps answers: 401 ends, named codes keep their class, 429/5xx/network retry, other 4xx fatal', async () => {
    server.reply(
      raw(401, {}, ''),
      raw(400, json, '{"error":"RefreshTokenReuseException"}'),
      raw(400, json, '{"error":"invalid_grant"}'),
      raw(429, { 'retry-after': '5' }, ''),
      raw(502, { 'content-type': 'text/html' }, '<html/>'),
      drop,
      raw(403, json, '{"error":"csrf"}'),
    )
    const t = backendTransport({ url: url(), timeoutMs: 2000 })
    expect(await failure(t)).toMatchObject({
      code: 'NotAuthorizedException',
      kind: 'terminal',
      status: 401,
    })
    expect(await failure(t)).toMatchObject({ code: 'RefreshTokenReuseException', kind: 'reuse' })
    expect(await failure(t)).toMatchObject({ code: 'invalid_grant', kind: 'terminal' })
    expect(await failure(t)).toMatchObject({
      code: 'TooManyRequestsException',
      kind: 'retryable',
      retryAfterMs: 5000,
    })
    expect(await failure(t)).toMatchObject({ code: 'HttpError', kind: 'retryable', status: 502 })
    expect(await failure(t)).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
    expect(await failure(t)).toMatchObject({ code: 'HttpError', kind: 'fatal', status: 403 })
  })

  it('revokes through revokeUrl, without a token in cookie mode', async () => {
    server.reply(raw(204, {}, ''))
    await backendTransport({ url: url(), revokeUrl: `${server.url}api/auth/logout` }).revoke!(
      { refreshToken: cookieRefreshToken },
      { signal: signal() },
    )
    expect(server.requests[0]).toMatchObject({ url: '/api/auth/logout', body: '{}' })
    expect(backendTransport({ url: url() }).revoke).toBeUndefined()
  })

  it('backendSession fills the placeholder only when the reply has no refresh token', () => {
    expect(backendSession(tokens).RefreshToken).toBe(cookieRefreshToken)
    expect(backendSession({ ...tokens, refreshToken: 'r' }).RefreshToken).toBe('r')
  })
})
