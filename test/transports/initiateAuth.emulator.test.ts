import { describe, expect, it, vi } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import type { AuthError } from '../../src/core/errors'
import { memoryStorage } from '../../src/core/platform/storage'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { clientSecret, clients, email, signal, useEmulator, username } from './emulatorSetup'

const env = useEmulator()
const transport = (
  clientId: string,
  extra: Partial<Parameters<typeof initiateAuthTransport>[0]> = {},
) => initiateAuthTransport({ clientId, endpoint: `${env.emu.url}/`, ...extra })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('initiateAuthTransport against the emulator', () => {
  it('refreshes a public client, returning no refresh token', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    const result = await transport(clients.classic).refresh(
      { refreshToken: session.RefreshToken },
      { signal: signal() },
    )
    expect(result.AccessToken).not.toBe(session.AccessToken)
    expect(result.ExpiresIn).toBe(3600)
    expect(result.RefreshToken).toBeUndefined()
  })

  it('computes SECRET_HASH from cognito:username, and explains a hash of the email', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classicSecret })
    const t = transport(clients.classicSecret, { clientSecret })
    const ok = await t.refresh(
      { refreshToken: session.RefreshToken, username },
      { signal: signal() },
    )
    expect(ok.AccessToken).toMatch(/^ey/)
    const wrong = await failure(
      t.refresh({ refreshToken: session.RefreshToken, username: email }, { signal: signal() }),
    )
    expect(wrong).toMatchObject({ code: 'ConfigurationError', kind: 'fatal', status: 400 })
    expect(wrong.message).toContain('cognito:username')
  })

  it('settles a rotating client with GetTokensFromRefreshToken instead of ending the session', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const session = await env.emu.signIn({ username, clientId: clients.rotating })
    const result = await transport(clients.rotating).refresh(
      { refreshToken: session.RefreshToken },
      { signal: signal() },
    )
    expect(result.RefreshToken).toMatch(/^ey/)
    expect(result.RefreshToken).not.toBe(session.RefreshToken)
    warn.mockRestore()
  })

  it('sends the device key of a device-tracking client, which REFRESH_TOKEN_AUTH requires', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.devices })
    const deviceKey = session.NewDeviceMetadata!.DeviceKey
    const t = transport(clients.devices)
    const ok = await t.refresh(
      { refreshToken: session.RefreshToken, deviceKey },
      { signal: signal() },
    )
    expect(ok.AccessToken).toMatch(/^ey/)
    expect(env.emu.stats().refreshes.at(-1)).toMatchObject({
      operation: 'InitiateAuth',
      outcome: 'ok',
    })
    // Without it REFRESH_TOKEN_AUTH refuses; GetTokensFromRefreshToken then registers a new device.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const without = await transport(clients.devices).refresh(
      { refreshToken: session.RefreshToken },
      { signal: signal() },
    )
    expect(
      env.emu
        .stats()
        .refreshes.slice(-2)
        .map((r) => r.outcome),
    ).toEqual(['NotAuthorizedException', 'ok'])
    expect(without.NewDeviceMetadata?.DeviceKey).toMatch(/_/)
    expect(without.NewDeviceMetadata?.DeviceKey).not.toBe(deviceKey)
    warn.mockRestore()
  })

  it('maps injected faults: throttling, server errors, dropped connections, proxy pages', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    env.emu.faults.failNext(
      { kind: 'throttle', retryAfterSeconds: 2 },
      { kind: 'error', code: 'InternalErrorException' },
      { kind: 'drop' },
      { kind: 'html', status: 502 },
      // REFRESH_TOKEN_AUTH refused, and GetTokensFromRefreshToken confirming it.
      { kind: 'error', code: 'NotAuthorizedException' },
      { kind: 'error', code: 'NotAuthorizedException' },
    )
    const t = transport(clients.classic)
    const next = () =>
      failure(t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }))
    expect(await next()).toMatchObject({
      code: 'TooManyRequestsException',
      kind: 'retryable',
      retryAfterMs: 2000,
    })
    expect(await next()).toMatchObject({
      code: 'InternalErrorException',
      kind: 'retryable',
      status: 500,
    })
    expect(await next()).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
    expect(await next()).toMatchObject({ code: 'HttpError', kind: 'retryable', status: 502 })
    expect(await next()).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
  })

  it('signs out with RevokeToken through the client, after which the token is dead', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classicSecret })
    const t = transport(clients.classicSecret, { clientSecret })
    const client = createAuthClient({
      clientId: clients.classicSecret,
      transport: t,
      storage: memoryStorage(),
      environment: {
        lock: noLock,
        channel: noChannel,
        lifecycle: noLifecycle,
      },
    })
    client.setSession(session)
    // The client passes the ID token's cognito:username, so SECRET_HASH needs no option.
    await client.refresh({ force: true })
    const revokeFailed: unknown[] = []
    client.on('revokeFailed', (e) => revokeFailed.push(e))
    await client.signOut()
    expect(revokeFailed).toEqual([])
    const after = await failure(
      t.refresh({ refreshToken: session.RefreshToken, username }, { signal: signal() }),
    )
    expect(after).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
    client.dispose()
  })
})
