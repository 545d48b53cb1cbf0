/**
 * initiateAuthTransport on a client with rotation on, against the emulator answering
 * REFRESH_TOKEN_AUTH with a refusal text no pattern of ours names ("Invalid Refresh Token.", a
 * plausible real one): the session must survive, settled by one GetTokensFromRefreshToken.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { memoryStorage } from '../../src/core/platform/storage'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import { type Emulator, startEmulator } from '../../src/emulator'

const username = 'rotating-user'
const clientId = 'rotatingclient000000000009'
const clientSecret = 'rotationsecret0123456789ab'
let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({
    users: [{ username, password: 'Passw0rd!rotate' }],
    clients: [
      {
        clientId,
        clientSecret,
        refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 },
      },
    ],
    behaviour: {
      refreshTokenAuthOnRotatingClient: {
        code: 'NotAuthorizedException',
        message: 'Invalid Refresh Token.',
      },
    },
  })
})
afterAll(() => emu.stop())

const clientWith = (storage = memoryStorage()) =>
  createAuthClient({
    clientId,
    transport: initiateAuthTransport({ clientId, clientSecret, endpoint: `${emu.url}/` }),
    storage,
    environment: {
      lock: noLock,
      channel: noChannel,
      lifecycle: noLifecycle,
    },
  })
const operations = () => emu.stats().refreshes.map((r) => `${r.operation} ${r.outcome}`)

describe('initiateAuthTransport with rotation on', () => {
  it('keeps the session, rotates, and tells the developer once which transport to use', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const session = await emu.signIn({ username, clientId })
    const client = clientWith()
    client.setSession(session)
    const first = await client.refresh({ force: true })
    const second = await client.refresh({ force: true })
    expect(client.getSnapshot().status).toBe('authenticated')
    expect(first.refreshToken).not.toBe(session.RefreshToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    // One refusal, then GetTokensFromRefreshToken directly: no call spent on the refusal again.
    expect(operations()).toEqual([
      'InitiateAuth NotAuthorizedException',
      'GetTokensFromRefreshToken ok',
      'GetTokensFromRefreshToken ok',
    ])
    const warnings = warn.mock.calls
      .map((c) => String(c[0]))
      .filter((t) => /REFRESH_TOKEN_AUTH/.test(t))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('cognitoTransport')
    for (const token of [session.RefreshToken, first.refreshToken, clientSecret]) {
      expect(warnings[0]).not.toContain(token)
    }
    warn.mockRestore()
    client.dispose()
  })

  it('ends the session when GetTokensFromRefreshToken says NotAuthorized too', async () => {
    const session = await emu.signIn({ username, clientId })
    const rotated = clientWith()
    rotated.setSession(session)
    await rotated.refresh({ force: true }) // the submitted token is now rotated away (grace 0)
    rotated.dispose()
    emu.reset({ faults: false, tokens: false, users: false })
    const client = clientWith()
    client.setSession(session)
    await expect(client.refresh({ force: true })).rejects.toMatchObject({
      kind: expect.stringMatching(/terminal|reuse/),
    })
    expect(client.getSnapshot().status).toBe('unauthenticated')
    expect(operations()).toEqual([
      'InitiateAuth NotAuthorizedException',
      expect.stringMatching(
        /^GetTokensFromRefreshToken (NotAuthorized|RefreshTokenReuse)Exception$/,
      ),
    ])
    client.dispose()
  })
})
