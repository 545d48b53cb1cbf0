import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noLock } from '../../src/core/platform/lock'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import { createChannelHub, createManualLifecycle } from '../helpers/fakeEnvironment'
import { ManualClock } from '../helpers/manualClock'
import { sharedStorage } from '../helpers/testClient'

// The whole client over real HTTP against the emulator; only time is simulated on our side.
let emu: Emulator
const rotating = 'rotatingclient0000000000aa'
const classic = 'classicclient00000000000bb'

beforeAll(async () => {
  emu = await startEmulator({
    clients: [
      {
        clientId: rotating,
        accessTokenValiditySeconds: 300,
        refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 5 },
      },
      { clientId: classic, accessTokenValiditySeconds: 300 },
    ],
  })
})
afterAll(() => emu.stop())
beforeEach(() => emu.reset())

function client(clientId = rotating) {
  const clock = new ManualClock()
  const life = createManualLifecycle()
  const auth = createAuthClient({
    clientId,
    // The transport's HTTP timeout runs on the client's clock too.
    transport: cognitoTransport({ clientId, endpoint: emu.url, timeoutMs: 24 * 3_600_000 }),
    storage: sharedStorage(),
    environment: {
      channel: createChannelHub().channel(),
      lock: noLock,
      lifecycle: life.lifecycle,
      clock,
      random: () => 0.5,
    },
    // The manual clock jumps minutes while a real HTTP call is on its way: our own bounds on the
    // call (this one and the transport's timeout) would fire first.
    refreshTimeoutMs: 24 * 3_600_000,
  })
  return { auth, clock, life }
}

const refreshes = () => emu.stats().refreshes
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('the client against the emulator', () => {
  it('keeps a rotating session alive for many lifetimes with one refresh each', async () => {
    const { auth, clock } = client()
    auth.mount()
    const first = auth.setSession(await emu.signIn({ clientId: rotating }))
    for (let lifetime = 1; lifetime <= 5; lifetime++) {
      await clock.advance(240_000) // past the due time (60-90 s before expiry)
      await waitFor(() => auth.getSnapshot().tokens!.version === lifetime + 1)
    }
    const log = refreshes()
    expect(log).toHaveLength(5)
    expect(log.every((r) => r.outcome === 'ok' && r.rotated)).toBe(true)
    expect(new Set(log.map((r) => r.originJti)).size).toBe(1) // one token family throughout
    expect(auth.getSnapshot().tokens!.refreshToken).not.toBe(first.refreshToken)
    expect(auth.getSnapshot().tokens!.accessClaims.origin_jti).toBe(first.accessClaims.origin_jti)
    auth.dispose()
  })

  it('keeps the session through throttling and an outage, then recovers', async () => {
    const { auth, clock } = client()
    auth.mount()
    const tokens = auth.setSession(await emu.signIn({ clientId: rotating }))
    emu.faults.set({
      failNext: [{ kind: 'throttle', retryAfterSeconds: 3 }, { kind: 'html' }, { kind: 'drop' }],
    })
    await expect(auth.refresh({ force: true })).rejects.toMatchObject({
      code: 'TooManyRequestsException',
      retryAfterMs: 3000,
    })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', refresh: 'retrying' })
    await expect(auth.getAccessToken()).resolves.toBe(tokens.accessToken)
    await expect(auth.refresh({ force: true })).rejects.toMatchObject({
      code: 'HttpError',
      status: 502,
    })
    await expect(auth.refresh({ force: true })).rejects.toMatchObject({ code: 'NetworkError' })
    expect(auth.getSnapshot().status).toBe('authenticated')
    await clock.advance(60_000)
    await waitFor(() => auth.getSnapshot().refresh === 'idle' && auth.getSnapshot().error === null)
    expect(auth.getSnapshot().tokens!.version).toBe(2)
    auth.dispose()
  })

  it('ends the session when Cognito rejects the refresh token', async () => {
    const { auth } = client(classic)
    auth.setSession(await emu.signIn({ clientId: classic }))
    emu.updateUser('demo@example.com', { enabled: false })
    try {
      await expect(auth.refresh({ force: true })).rejects.toMatchObject({
        code: 'NotAuthorizedException',
        kind: 'terminal',
      })
      expect(auth.getSnapshot()).toMatchObject({
        status: 'unauthenticated',
        signOutReason: 'rejected',
      })
    } finally {
      emu.updateUser('demo@example.com', { enabled: true })
    }
  })

  it('revokes the refresh token on sign-out', async () => {
    const { auth } = client(classic)
    const tokens = auth.setSession(await emu.signIn({ clientId: classic }))
    await auth.signOut()
    expect(emu.stats().calls.RevokeToken).toEqual({ ok: 1 })
    // The revoked token no longer refreshes.
    const other = client(classic)
    other.auth.setSession({
      AccessToken: tokens.accessToken,
      ExpiresIn: 300,
      RefreshToken: tokens.refreshToken,
    })
    await expect(other.auth.refresh({ force: true })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    })
  })

  it('calls the demo API with a token the emulator accepts', async () => {
    const { auth } = client()
    auth.setSession(await emu.signIn({ clientId: rotating }))
    await auth.refresh({ force: true })
    const response = await fetch(emu.demoApiUrl, {
      headers: { authorization: `Bearer ${await auth.getAccessToken()}` },
    })
    expect(response.status).toBe(200)
    expect(emu.stats().demoApi.ok).toBe(1)
  })
})
