import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { AuthError } from '../../src/core/errors'
import { authErrorOfIdentityJs, identityJsTransport } from '../../src/identity-js'
import { identityJsSignIn, legacyPool, mapStorage } from '../migration/legacyHelpers'
import { clients, signal, useEmulator, username } from './emulatorSetup'

const env = useEmulator()
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('authErrorOfIdentityJs', () => {
  const withCode = (code: string, message = 'm', extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { code, name: code, ...extra })

  it('maps Cognito error types by code, classified like the other transports', () => {
    expect(
      authErrorOfIdentityJs(withCode('NotAuthorizedException', 'Invalid Refresh Token.')),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      kind: 'terminal',
      message: 'NotAuthorizedException: Invalid Refresh Token.',
    })
    expect(authErrorOfIdentityJs(withCode('TooManyRequestsException'))).toMatchObject({
      kind: 'retryable',
    })
    expect(authErrorOfIdentityJs(withCode('UserNotFoundException'))).toMatchObject({
      kind: 'terminal',
    })
    expect(
      authErrorOfIdentityJs(withCode('InvalidParameterException', '400', { statusCode: 400 })),
    ).toMatchObject({
      kind: 'fatal',
      status: 400,
    })
  })

  it('maps NetworkError and errors without a code to a retryable NetworkError', () => {
    expect(authErrorOfIdentityJs(withCode('NetworkError', 'Network error'))).toMatchObject({
      code: 'NetworkError',
      kind: 'retryable',
    })
    expect(authErrorOfIdentityJs(new Error('boom'))).toMatchObject({ code: 'NetworkError' })
    expect(authErrorOfIdentityJs('weird')).toMatchObject({ code: 'NetworkError' })
  })

  it('keeps unknown types by name, and redacts token material from messages', () => {
    const e = authErrorOfIdentityJs(
      withCode('BrandNewException', 'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'),
    )
    expect(e).toMatchObject({ code: 'UnknownServiceError', serviceCode: 'BrandNewException' })
    expect(e.message).not.toContain('eyJzdWIi')
  })
})

describe('identityJsTransport against the emulator', () => {
  it('refreshes with CognitoUser.refreshSession, without touching the app storage', async () => {
    const storage = mapStorage()
    const signedIn = await identityJsSignIn(env.emu, clients.classic, storage)
    const before = new Map(storage.map)
    const transport = identityJsTransport({ pool: legacyPool(env.emu, clients.classic, storage) })
    const result = await transport.refresh(
      { refreshToken: signedIn.getRefreshToken().getToken(), username },
      { signal: signal() },
    )
    expect(result.AccessToken).not.toBe(signedIn.getAccessToken().getJwtToken())
    expect(result.ExpiresIn).toBe(3600)
    expect(result.IdToken).toMatch(/^ey/)
    expect(result.RefreshToken).toBeUndefined()
    expect(storage.map).toEqual(before)
    expect(env.emu.stats().calls.InitiateAuth?.ok).toBeGreaterThanOrEqual(2)
  })

  it('sends DEVICE_KEY from the request on a device-tracking client', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.devices })
    const transport = identityJsTransport({ pool: legacyPool(env.emu, clients.devices) })
    const result = await transport.refresh(
      {
        refreshToken: session.RefreshToken,
        deviceKey: session.NewDeviceMetadata!.DeviceKey,
        username,
      },
      { signal: signal() },
    )
    expect(result.AccessToken).toMatch(/^ey/)
  })

  it('revokes on sign-out with RevokeToken; the token is then refused (terminal)', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    const transport = identityJsTransport({ pool: legacyPool(env.emu, clients.classic) })
    await transport.revoke!({ refreshToken: session.RefreshToken }, { signal: signal() })
    // The package retries every error for ~6.5 s before it reports one.
    const error = await failure(
      transport.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }),
    )
    expect(error).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
    expect(error.message).toContain('revoked')
  }, 20_000)

  it('turns the refusal on a rotating client into a ConfigurationError', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotating })
    const transport = identityJsTransport({ pool: legacyPool(env.emu, clients.rotating) })
    const error = await failure(
      transport.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }),
    )
    expect(error).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(error.message).toContain('cognitoTransport')
  }, 20_000)

  it('reports a server that is not there as a retryable NetworkError', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as { port: number }
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const pool = legacyPool({ ...env.emu, url: `http://127.0.0.1:${port}` }, clients.classic)
    const error = await failure(
      identityJsTransport({ pool }).refresh({ refreshToken: 'a.b.c.d.e' }, { signal: signal() }),
    )
    expect(error).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
  }, 20_000)

  it('stops waiting on abort and on its own timeout', async () => {
    env.emu.faults.set({ latencyMs: 2000 })
    const transport = identityJsTransport({
      pool: legacyPool(env.emu, clients.classic),
      timeoutMs: 100,
    })
    const timedOut = await failure(
      transport.refresh({ refreshToken: 'a.b.c.d.e' }, { signal: signal() }),
    )
    expect(timedOut).toMatchObject({ code: 'TimeoutError', kind: 'retryable' })
    const controller = new AbortController()
    const pending = failure(
      identityJsTransport({ pool: legacyPool(env.emu, clients.classic) }).refresh(
        { refreshToken: 'a.b.c.d.e' },
        { signal: controller.signal },
      ),
    )
    controller.abort()
    expect(await pending).toMatchObject({ code: 'AbortError' })
  })
})
