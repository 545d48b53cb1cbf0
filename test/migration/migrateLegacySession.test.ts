import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { migrateLegacySession } from '../../src/migration/migrateLegacySession'
import { memoryStorage } from '../../src/core/platform/storage'
import { createFakeTransport } from '../helpers/fakeTransport'
import { fakeJwt } from '../helpers/tokens'
import { mapStorage } from './legacyHelpers'

const clientId = 'legacyclient00000000000001'
const prefix = `CognitoIdentityServiceProvider.${clientId}`
const user = '53c0eafe-5b70-4674-84f6-f24cbd120930'
const now = Date.UTC(2026, 10, 21, 12)
const refreshToken = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.K.IV.C.T'
const deviceKey = 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f'

/** Tokens issued by a server whose clock is `aheadMs` ahead of this device, `ageS` seconds ago. */
function tokens(aheadMs: number, ageS = 0, lifetimeS = 3600) {
  const iat = Math.floor((now + aheadMs) / 1000) - ageS
  const claims = { sub: user, iat, exp: iat + lifetimeS }
  return {
    access: fakeJwt({ ...claims, token_use: 'access', client_id: clientId, username: user }),
    id: fakeJwt({ ...claims, token_use: 'id', aud: clientId, 'cognito:username': user }),
    iat,
  }
}

/** The keys as each library writes them at sign-in (`clockDrift` in its own convention). */
function stored(source: 'identity-js' | 'amplify', aheadMs: number, ageS = 0) {
  const storage = mapStorage()
  const t = tokens(aheadMs, ageS)
  const signInAt = now - ageS * 1000
  const drift =
    source === 'amplify'
      ? String(t.iat * 1000 - signInAt) // ms, server minus local
      : String(Math.floor(signInAt / 1000) - t.iat) // s, local minus server
  storage.setItem(`${prefix}.LastAuthUser`, user)
  storage.setItem(`${prefix}.${user}.accessToken`, t.access)
  storage.setItem(`${prefix}.${user}.idToken`, t.id)
  storage.setItem(`${prefix}.${user}.refreshToken`, refreshToken)
  storage.setItem(`${prefix}.${user}.clockDrift`, drift)
  if (source === 'amplify')
    storage.setItem(
      `${prefix}.${user}.signInDetails`,
      '{"loginId":"a@b.c","authFlowType":"USER_SRP_AUTH"}',
    )
  else storage.setItem(`${prefix}.${user}.userData`, '{"Username":"x"}')
  return storage
}

const migrate = (
  storage: ReturnType<typeof mapStorage>,
  source?: 'amazon-cognito-identity-js' | 'amplify' | 'auto',
) => migrateLegacySession({ clientId, storage, now: () => now, ...(source && { source }) })

describe('migrateLegacySession: clock drift', () => {
  it.each([
    ['server 10 min behind', -600_000],
    ['server 10 min ahead', 600_000],
    ['clocks agree', 0],
  ])('reads identity-js seconds (now - iat) when the %s', (_, aheadMs) => {
    const result = migrate(stored('identity-js', aheadMs, 600), 'amazon-cognito-identity-js')
    // Signed in 10 minutes ago for an hour: 50 minutes left on the device's own clock.
    expect(result.session?.ExpiresIn).toBeGreaterThanOrEqual(2999)
    expect(result.session?.ExpiresIn).toBeLessThanOrEqual(3000)
    expect(result).toMatchObject({ source: 'amazon-cognito-identity-js', expired: false })
  })

  it.each([
    ['server 10 min behind', -600_000],
    ['server 10 min ahead', 600_000],
  ])('reads Amplify v6 milliseconds (iat*1000 - now) when the %s', (_, aheadMs) => {
    const result = migrate(stored('amplify', aheadMs, 600), 'amplify')
    expect(result.session?.ExpiresIn).toBeGreaterThanOrEqual(2999)
    expect(result.session?.ExpiresIn).toBeLessThanOrEqual(3000)
  })

  it('gets it wrong with the other convention (the test can tell them apart)', () => {
    const result = migrate(stored('identity-js', -600_000, 600), 'amplify')
    expect(result.session?.ExpiresIn).toBeLessThan(2500)
  })

  it('detects the writer from keys only it writes', () => {
    expect(migrate(stored('amplify', -600_000))).toMatchObject({ source: 'amplify' })
    expect(migrate(stored('identity-js', -600_000))).toMatchObject({
      source: 'amazon-cognito-identity-js',
    })
  })

  it('without markers, reads the drift both ways and keeps the earlier expiry', () => {
    const storage = stored('identity-js', -600_000, 600)
    storage.removeItem(`${prefix}.${user}.userData`)
    const result = migrate(storage)
    expect(result).toMatchObject({ source: 'unknown' })
    expect(result.session!.ExpiresIn).toBeLessThanOrEqual(
      migrate(stored('identity-js', -600_000, 600), 'amazon-cognito-identity-js').session!
        .ExpiresIn,
    )
  })

  it('never exceeds the granted lifetime, and ignores a corrupt drift', () => {
    const storage = stored('identity-js', 0)
    storage.setItem(`${prefix}.${user}.clockDrift`, '-999999999')
    expect(migrate(storage).session?.ExpiresIn).toBe(3600)
    storage.setItem(`${prefix}.${user}.clockDrift`, 'soon')
    expect(migrate(storage).session?.ExpiresIn).toBe(3600)
  })

  it('gives an expired session ExpiresIn 0, so the first read refreshes it', () => {
    const result = migrate(stored('amplify', 0, 7200), 'amplify')
    expect(result).toMatchObject({
      expired: true,
      session: { ExpiresIn: 0, RefreshToken: refreshToken },
    })
  })
})

describe('migrateLegacySession: contents and failures', () => {
  it('builds an AuthenticationResult the client accepts, device keys included', () => {
    const storage = stored('identity-js', 0)
    storage.setItem(`${prefix}.${user}.deviceKey`, deviceKey)
    storage.setItem(`${prefix}.${user}.deviceGroupKey`, '-wt2ha1Zd')
    const result = migrate(storage)
    expect(result.session).toMatchObject({
      TokenType: 'Bearer',
      RefreshToken: refreshToken,
      NewDeviceMetadata: { DeviceKey: deviceKey, DeviceGroupKey: '-wt2ha1Zd' },
    })
    const client = createAuthClient({
      clientId,
      transport: createFakeTransport(),
      storage: memoryStorage(),
      environment: {
        lock: noLock,
        channel: noChannel,
        lifecycle: noLifecycle,
      },
    })
    const set = client.setSession(result.session!)
    expect(set).toMatchObject({ refreshToken, deviceKey, deviceGroupKey: '-wt2ha1Zd' })
    expect(set.idClaims?.['cognito:username']).toBe(user)
    client.dispose()
  })

  it('takes an Amplify session without an ID token; drops a malformed device key', () => {
    const storage = stored('amplify', 0)
    storage.removeItem(`${prefix}.${user}.idToken`)
    storage.setItem(`${prefix}.${user}.deviceKey`, 'undefined')
    const result = migrate(storage)
    expect(result.session).not.toHaveProperty('IdToken')
    expect(result.session).not.toHaveProperty('NewDeviceMetadata')
    storage.setItem(`${prefix}.${user}.deviceKey`, 'not a key!')
    expect(migrate(storage).session).not.toHaveProperty('NewDeviceMetadata')
  })

  it('falls back to Amplify\'s "username" keys when LastAuthUser is missing', () => {
    const storage = mapStorage()
    const t = tokens(0)
    storage.setItem(`${prefix}.username.accessToken`, t.access)
    storage.setItem(`${prefix}.username.refreshToken`, refreshToken)
    expect(migrate(storage)).toMatchObject({ username: 'username', reason: null })
  })

  it.each([
    ['noUser', (s: ReturnType<typeof mapStorage>) => s.removeItem(`${prefix}.LastAuthUser`)],
    [
      'noAccessToken',
      (s: ReturnType<typeof mapStorage>) => s.removeItem(`${prefix}.${user}.accessToken`),
    ],
    [
      'noRefreshToken',
      (s: ReturnType<typeof mapStorage>) =>
        s.setItem(`${prefix}.${user}.refreshToken`, 'undefined'),
    ],
    [
      'invalidToken',
      (s: ReturnType<typeof mapStorage>) => s.setItem(`${prefix}.${user}.accessToken`, 'not.a.jwt'),
    ],
    [
      'invalidToken',
      (s: ReturnType<typeof mapStorage>) => s.setItem(`${prefix}.${user}.idToken`, 'garbage'),
    ],
    [
      'invalidToken',
      (s: ReturnType<typeof mapStorage>) =>
        s.setItem(`${prefix}.${user}.accessToken`, fakeJwt({ sub: user })),
    ],
    [
      'invalidToken',
      (s: ReturnType<typeof mapStorage>) =>
        s.setItem(`${prefix}.${user}.accessToken`, tokens(0).id),
    ],
    [
      'otherClient',
      (s: ReturnType<typeof mapStorage>) =>
        s.setItem(
          `${prefix}.${user}.accessToken`,
          fakeJwt({ exp: 1, token_use: 'access', client_id: 'other' }),
        ),
    ],
  ])('returns { session: null, reason: %s } and never throws', (reason, corrupt) => {
    const storage = stored('identity-js', 0)
    corrupt(storage)
    expect(migrate(storage)).toEqual({ session: null, reason })
  })

  it('reports a storage that is missing or throws', () => {
    expect(migrateLegacySession({ clientId })).toEqual({ session: null, reason: 'noStorage' })
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    }
    expect(migrateLegacySession({ clientId, storage: throwing })).toEqual({
      session: null,
      reason: 'noUser',
    })
  })
})
