import { describe, expect, it } from 'vitest'
import { type AuthClientOptions, createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { adoptLegacySession } from '../../src/migration/adoptLegacySession'
import { legacyWriteBack } from '../../src/migration/legacyWriteBack'
import { migrateLegacySession } from '../../src/migration/migrateLegacySession'
import { memoryStorage } from '../../src/core/platform/storage'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import type { Transport } from '../../src/core/transports/types'
import { identityJsTransport } from '../../src/identity-js'
import { clients, useEmulator, username } from '../transports/emulatorSetup'
import { identityJsSession, identityJsSignIn, legacyPool, mapStorage } from './legacyHelpers'

const env = useEmulator()
const prefix = (clientId: string) => `CognitoIdentityServiceProvider.${clientId}`

function makeClient(
  clientId: string,
  transport: Transport,
  extra: Partial<AuthClientOptions> = {},
) {
  return createAuthClient({
    clientId,
    transport,
    storage: memoryStorage(),
    environment: {
      lock: noLock,
      channel: noChannel,
      lifecycle: noLifecycle,
    },
    ...extra,
  })
}

describe('migrating from amazon-cognito-identity-js (the real package, against the emulator)', () => {
  it('adopts the keys the package wrote, and the adopted refresh token works', async () => {
    const storage = mapStorage()
    const legacy = await identityJsSignIn(env.emu, clients.classic, storage)
    expect(storage.map.get(`${prefix(clients.classic)}.LastAuthUser`)).toBe(username)
    const client = makeClient(
      clients.classic,
      cognitoTransport({ clientId: clients.classic, endpoint: `${env.emu.url}/` }),
    )
    const result = adoptLegacySession(client, { clientId: clients.classic, storage })
    expect(result).toMatchObject({ reason: null, username, expired: false, source: 'unknown' })
    expect(client.getSnapshot().tokens?.accessToken).toBe(legacy.getAccessToken().getJwtToken())
    expect(client.getSnapshot().tokens?.refreshToken).toBe(legacy.getRefreshToken().getToken())
    const refreshed = await client.refresh({ force: true })
    expect(refreshed.accessToken).not.toBe(legacy.getAccessToken().getJwtToken())
    expect(refreshed.version).toBe(2)
    // The legacy tokens are gone, so a later sign-out of ours cannot be undone by re-adopting.
    expect(await identityJsSession(env.emu, clients.classic, storage)).toBeNull()
    client.dispose()
  })

  it('corrects the expiry by the stored clockDrift (seconds, now - iat) when the server lags', async () => {
    env.emu.faults.set({ clockOffsetMs: -600_000 })
    const storage = mapStorage()
    await identityJsSignIn(env.emu, clients.classic, storage)
    const drift = Number(storage.map.get(`${prefix(clients.classic)}.${username}.clockDrift`))
    expect(drift).toBeGreaterThanOrEqual(599)
    expect(drift).toBeLessThanOrEqual(601)
    const right = migrateLegacySession({
      clientId: clients.classic,
      storage,
      source: 'amazon-cognito-identity-js',
    })
    const naive = migrateLegacySession({ clientId: clients.classic, storage, source: 'amplify' })
    // exp is 50 minutes ahead on this device's clock, but the token has a full hour left.
    expect(right.session?.ExpiresIn).toBeGreaterThanOrEqual(3598)
    expect(naive.session?.ExpiresIn).toBeLessThanOrEqual(3001)
    expect(
      migrateLegacySession({
        clientId: clients.classic,
        storage,
        now: () => Date.now() + 7_200_000,
      }),
    ).toMatchObject({
      expired: true,
      session: { ExpiresIn: 0 },
    })
  })

  it('carries an emulator-issued device key through migration into REFRESH_TOKEN_AUTH', async () => {
    const session = await env.emu.signIn({ username, clientId: clients.devices })
    const storage = mapStorage()
    const p = `${prefix(clients.devices)}.${username}`
    // The layout the package writes after a sign-in with device tracking (and ConfirmDevice).
    storage.setItem(`${prefix(clients.devices)}.LastAuthUser`, username)
    storage.setItem(`${p}.accessToken`, session.AccessToken)
    storage.setItem(`${p}.idToken`, session.IdToken)
    storage.setItem(`${p}.refreshToken`, session.RefreshToken)
    storage.setItem(`${p}.clockDrift`, '0')
    storage.setItem(`${p}.deviceKey`, session.NewDeviceMetadata!.DeviceKey)
    storage.setItem(`${p}.deviceGroupKey`, session.NewDeviceMetadata!.DeviceGroupKey)
    const client = makeClient(
      clients.devices,
      initiateAuthTransport({ clientId: clients.devices, endpoint: `${env.emu.url}/` }),
    )
    adoptLegacySession(client, {
      clientId: clients.devices,
      storage,
      source: 'amazon-cognito-identity-js',
    })
    expect(client.getSnapshot().tokens?.deviceKey).toBe(session.NewDeviceMetadata!.DeviceKey)
    // The emulator refuses REFRESH_TOKEN_AUTH without the device key: this proves it was sent.
    await expect(client.refresh({ force: true })).resolves.toMatchObject({ version: 2 })
    client.dispose()
  })

  it('runs side by side: write-back keeps the package signed in with our tokens, sign-out ends both', async () => {
    const storage = mapStorage()
    await identityJsSignIn(env.emu, clients.classic, storage)
    const pool = legacyPool(env.emu, clients.classic, storage)
    const client = makeClient(clients.classic, identityJsTransport({ pool }))
    const stop = legacyWriteBack(client, { clientId: clients.classic, storage })
    adoptLegacySession(client, { clientId: clients.classic, storage })
    const refreshed = await client.refresh({ force: true })
    const seen = await identityJsSession(env.emu, clients.classic, storage)
    expect(seen?.isValid()).toBe(true)
    expect(seen?.getAccessToken().getJwtToken()).toBe(refreshed.accessToken)
    expect(seen?.getRefreshToken().getToken()).toBe(refreshed.refreshToken)
    const drift = storage.map.get(`${prefix(clients.classic)}.${username}.clockDrift`)
    expect(Math.abs(Number(drift))).toBeLessThanOrEqual(1)
    await client.signOut()
    expect(await identityJsSession(env.emu, clients.classic, storage)).toBeNull()
    stop()
    client.dispose()
  })
})
