import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/authClient'
import type { AuthError } from '../../src/core/errors'
import { memoryStorage } from '../../src/core/storage'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import { noChannel } from '../../src/core/channel'
import { noLifecycle } from '../../src/core/lifecycle'
import { noLock } from '../../src/core/lock'
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

  it('refuses a rotating client with a ConfigurationError naming cognitoTransport', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotating })
    const error = await failure(
      transport(clients.rotating).refresh(
        { refreshToken: session.RefreshToken },
        { signal: signal() },
      ),
    )
    expect(error).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(error.message).toContain('cognitoTransport')
  })

  it('sends the device key of a device-tracking client, which the server requires', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.devices })
    const deviceKey = session.NewDeviceMetadata!.DeviceKey
    const t = transport(clients.devices)
    const ok = await t.refresh(
      { refreshToken: session.RefreshToken, deviceKey },
      { signal: signal() },
    )
    expect(ok.AccessToken).toMatch(/^ey/)
    const without = await failure(
      t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }),
    )
    expect(without).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
  })

  it('maps injected faults: throttling, server errors, dropped connections, proxy pages', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    env.emu.faults.failNext(
      { kind: 'throttle', retryAfterSeconds: 2 },
      { kind: 'error', code: 'InternalErrorException' },
      { kind: 'drop' },
      { kind: 'html', status: 502 },
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
      lock: noLock,
      channel: noChannel,
      lifecycle: noLifecycle,
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
