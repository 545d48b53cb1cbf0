import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import type { AuthError } from '../../src/core/errors'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { memoryStorage } from '../../src/core/platform/storage'
import { oauth2Transport } from '../../src/core/transports/oauth2'
import { clientSecret, clients, signal, useEmulator, username } from './emulatorSetup'

const env = useEmulator()
const transport = (clientId: string, extra: Partial<Parameters<typeof oauth2Transport>[0]> = {}) =>
  oauth2Transport({ clientId, domain: env.emu.url, ...extra })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('oauth2Transport against the emulator', () => {
  it('refreshes a public client without rotation: no refresh_token comes back', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    const result = await transport(clients.classic).refresh(
      { refreshToken: session.RefreshToken },
      { signal: signal() },
    )
    expect(result).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 })
    expect(result.IdToken).toMatch(/^ey/)
    expect(result.RefreshToken).toBeUndefined()
  })

  it('takes the rotated refresh_token, and the old one then gets invalid_grant (terminal)', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotating })
    const t = transport(clients.rotating)
    const first = await t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() })
    expect(first.RefreshToken).toMatch(/\./)
    expect(first.RefreshToken).not.toBe(session.RefreshToken)
    const second = await t.refresh({ refreshToken: first.RefreshToken! }, { signal: signal() })
    expect(second.RefreshToken).not.toBe(first.RefreshToken)
    const reused = await failure(
      t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }),
    )
    expect(reused).toMatchObject({ code: 'invalid_grant', kind: 'terminal', status: 400 })
  })

  it('authenticates a confidential client with Basic, or with the secret in the form', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotatingSecret })
    const basic = await transport(clients.rotatingSecret, { clientSecret }).refresh(
      { refreshToken: session.RefreshToken },
      { signal: signal() },
    )
    const post = await transport(clients.rotatingSecret, {
      clientSecret,
      clientAuthentication: 'post',
    }).refresh({ refreshToken: basic.RefreshToken! }, { signal: signal() })
    expect(post.AccessToken).toMatch(/^ey/)
  })

  it('maps a wrong or missing secret to invalid_client, a configuration error', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotatingSecret })
    for (const t of [
      transport(clients.rotatingSecret, { clientSecret: `${clientSecret}x` }),
      transport(clients.rotatingSecret),
    ]) {
      const error = await failure(
        t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }),
      )
      expect(error).toMatchObject({ code: 'invalid_client', kind: 'fatal' })
    }
  })

  it('maps unsupported answers: a token of another client is invalid_grant', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    const error = await failure(
      transport(clients.rotating).refresh(
        { refreshToken: session.RefreshToken },
        { signal: signal() },
      ),
    )
    expect(error).toMatchObject({ code: 'invalid_grant', kind: 'terminal' })
  })

  it('retries injected throttling, server errors, dropped connections and proxy pages', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    env.emu.faults.failNext(
      { kind: 'throttle', retryAfterSeconds: 3 },
      { kind: 'error', code: 'InternalErrorException' },
      { kind: 'drop' },
      { kind: 'html', status: 503 },
    )
    const t = transport(clients.classic)
    const next = () =>
      failure(t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }))
    expect(await next()).toMatchObject({
      code: 'TooManyRequestsException',
      kind: 'retryable',
      status: 429,
      retryAfterMs: 3000,
    })
    expect(await next()).toMatchObject({
      code: 'UnknownServiceError',
      serviceCode: 'server_error',
      kind: 'retryable',
    })
    expect(await next()).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
    expect(await next()).toMatchObject({ code: 'HttpError', kind: 'retryable', status: 503 })
  })

  it('keeps a rotating session going through the client across several refreshes', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotating })
    const client = createAuthClient({
      clientId: clients.rotating,
      transport: transport(clients.rotating),
      storage: memoryStorage(),
      environment: {
        lock: noLock,
        channel: noChannel,
        lifecycle: noLifecycle,
      },
    })
    client.setSession(session)
    const okBefore = env.emu.stats().calls['oauth2/token']?.ok ?? 0
    const seen = new Set([session.RefreshToken])
    for (let i = 0; i < 3; i++) seen.add((await client.refresh({ force: true })).refreshToken)
    expect(seen.size).toBe(4)
    expect(env.emu.stats().calls['oauth2/token']?.ok).toBe(okBefore + 3)
    client.dispose()
  })
})

describe('oauth2Transport revoke against the emulator', () => {
  it('revokes at /oauth2/revoke, after which the token gets invalid_grant', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.classic })
    const t = transport(clients.classic)
    await t.revoke!({ refreshToken: session.RefreshToken }, { signal: signal() })
    expect(env.emu.stats().calls['oauth2/revoke']).toEqual({ ok: 1 })
    const refused = await failure(
      t.refresh({ refreshToken: session.RefreshToken }, { signal: signal() }),
    )
    expect(refused).toMatchObject({ code: 'invalid_grant', kind: 'terminal' })
  })

  it('revokes for a confidential client with Basic authentication, and refuses a wrong secret', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.rotatingSecret })
    const wrong = await failure(
      transport(clients.rotatingSecret, { clientSecret: `${clientSecret}x` }).revoke!(
        { refreshToken: session.RefreshToken },
        { signal: signal() },
      ),
    )
    expect(wrong).toMatchObject({ code: 'invalid_client', kind: 'fatal' })
    await transport(clients.rotatingSecret, { clientSecret }).revoke!(
      { refreshToken: session.RefreshToken },
      { signal: signal() },
    )
    const refused = await failure(
      transport(clients.rotatingSecret, { clientSecret }).refresh(
        { refreshToken: session.RefreshToken },
        { signal: signal() },
      ),
    )
    expect(refused.code).toBe('invalid_grant')
  })
})
