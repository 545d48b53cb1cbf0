import { describe, expect, it } from 'vitest'
import { adoptLegacySession } from '../../src/migration/adoptLegacySession'
import { clearLegacySession } from '../../src/migration/clearLegacySession'
import { legacyWriteBack } from '../../src/migration/legacyWriteBack'
import { setup } from '../helpers/testClient'
import { fakeJwt } from '../helpers/tokens'
import { mapStorage } from './legacyHelpers'

const clientId = 'legacyclient00000000000001'
const prefix = `CognitoIdentityServiceProvider.${clientId}`
const user = '53c0eafe-5b70-4674-84f6-f24cbd120930'
const sub = '11111111-2222-4333-8444-555555555555'
const deviceKey = 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f'

function legacy(now: number, ageS = 0) {
  const storage = mapStorage()
  const iat = Math.floor(now / 1000) - ageS
  const claims = { sub, iat, exp: iat + 3600 }
  storage.setItem(`${prefix}.LastAuthUser`, user)
  storage.setItem(
    `${prefix}.${user}.accessToken`,
    fakeJwt({ ...claims, token_use: 'access', username: user }),
  )
  storage.setItem(
    `${prefix}.${user}.idToken`,
    fakeJwt({ ...claims, token_use: 'id', 'cognito:username': user }),
  )
  storage.setItem(`${prefix}.${user}.refreshToken`, 'legacy.refresh.token.value.x')
  storage.setItem(`${prefix}.${user}.clockDrift`, '0')
  storage.setItem(`${prefix}.${user}.deviceKey`, deviceKey)
  storage.setItem(`${prefix}.${user}.deviceGroupKey`, '-wt2ha1Zd')
  return storage
}

/**
 * The keys aws-amplify 6.22.1 wrote after a USER_PASSWORD_AUTH sign-in, as observed in Chromium
 * (test/e2e/amplifyMigration.test.ts): keyed by the name typed at sign-in, `clockDrift` in ms
 * (iat * 1000 - now), `signInDetails`, no device keys. Signed in `ageS` seconds before `now` by a
 * server `aheadMs` ahead of this device.
 */
function amplifyStored(now: number, aheadMs: number, ageS: number) {
  const storage = mapStorage()
  const login = 'demo@example.com'
  const signedInAt = now - ageS * 1000
  const iat = Math.floor((signedInAt + aheadMs) / 1000)
  const claims = { sub, iat, exp: iat + 3600 }
  const p = `${prefix}.${login}`
  storage.setItem(`${prefix}.LastAuthUser`, login)
  storage.setItem(`${p}.accessToken`, fakeJwt({ ...claims, token_use: 'access', username: login }))
  storage.setItem(
    `${p}.idToken`,
    fakeJwt({ ...claims, token_use: 'id', 'cognito:username': login }),
  )
  storage.setItem(`${p}.refreshToken`, 'legacy.refresh.token.value.x')
  storage.setItem(`${p}.clockDrift`, String(iat * 1000 - signedInAt))
  storage.setItem(
    `${p}.signInDetails`,
    JSON.stringify({ loginId: login, authFlowType: 'USER_PASSWORD_AUTH' }),
  )
  return { storage, login, exp: claims.exp, drift: iat * 1000 - signedInAt }
}

describe('adoptLegacySession', () => {
  it('signs the client in, removes the legacy tokens and keeps the device keys', () => {
    const { client, clock, transport } = setup({ clientId })
    const storage = legacy(clock.now())
    const result = adoptLegacySession(client, { clientId, storage, now: clock.now })
    expect(result).toMatchObject({ reason: null, username: user, expired: false })
    const { status, tokens } = client.getSnapshot()
    expect(status).toBe('authenticated')
    expect(tokens).toMatchObject({ refreshToken: 'legacy.refresh.token.value.x', deviceKey })
    expect([...storage.map.keys()].sort()).toEqual([
      `${prefix}.${user}.deviceGroupKey`,
      `${prefix}.${user}.deviceKey`,
    ])
    expect(transport.calls).toHaveLength(0)
  })

  it('leaves the legacy session alone when the client already has one', () => {
    const { client, clock, transport } = setup({ clientId })
    client.setSession(transport.signIn())
    const storage = legacy(clock.now())
    const before = new Map(storage.map)
    expect(adoptLegacySession(client, { clientId, storage })).toEqual({
      session: null,
      reason: 'alreadySignedIn',
    })
    expect(storage.map).toEqual(before)
  })

  it('reads the client storage first when it has not started, so a stored session wins', () => {
    const first = setup({ clientId })
    first.client.setSession(first.transport.signIn())
    const second = setup({ clientId, storage: first.storage, clock: first.clock })
    expect(second.client.getSnapshot().status).toBe('loading')
    const result = adoptLegacySession(second.client, {
      clientId,
      storage: legacy(first.clock.now()),
    })
    expect(result.reason).toBe('alreadySignedIn')
  })

  it('refreshes at once when the legacy access token had lapsed', async () => {
    const { client, clock, transport } = setup({ clientId })
    const result = adoptLegacySession(client, {
      clientId,
      storage: legacy(clock.now(), 7200),
      now: clock.now,
    })
    expect(result).toMatchObject({ expired: true, session: { ExpiresIn: 0 } })
    await clock.advance(0)
    expect(transport.calls).toHaveLength(1)
    expect(transport.calls[0]).toMatchObject({
      refreshToken: 'legacy.refresh.token.value.x',
      deviceKey,
      username: user,
    })
  })

  it('keeps the legacy tokens when asked, and puts them back if setSession refuses', () => {
    const kept = setup({ clientId })
    const storage = legacy(kept.clock.now())
    adoptLegacySession(kept.client, { clientId, storage, removeLegacyTokens: false })
    expect(storage.map.size).toBe(7)
    const disposed = setup({ clientId })
    disposed.client.dispose()
    const other = legacy(disposed.clock.now())
    const before = new Map(other.map)
    expect(adoptLegacySession(disposed.client, { clientId, storage: other })).toEqual({
      session: null,
      reason: 'rejected',
    })
    expect(other.map).toEqual(before)
  })

  it('passes a migration failure through', () => {
    const { client } = setup({ clientId })
    expect(adoptLegacySession(client, { clientId, storage: mapStorage() })).toEqual({
      session: null,
      reason: 'noUser',
    })
  })
})

describe('legacyWriteBack', () => {
  it('writes identity-js keys (clockDrift in seconds, now - iat) after sign-in and refresh', async () => {
    const { client, clock, transport } = setup({ clientId })
    const storage = mapStorage()
    const stop = legacyWriteBack(client, { clientId, storage })
    const signIn = transport.signIn({ username: user, deviceKey })
    clock.sleep(3000) // three seconds between issue and receipt: clockDrift says so
    client.setSession(signIn)
    expect(storage.map.get(`${prefix}.LastAuthUser`)).toBe(user)
    expect(storage.map.get(`${prefix}.${user}.accessToken`)).toBe(signIn.AccessToken)
    expect(storage.map.get(`${prefix}.${user}.idToken`)).toBe(signIn.IdToken)
    expect(storage.map.get(`${prefix}.${user}.refreshToken`)).toBe(signIn.RefreshToken)
    expect(storage.map.get(`${prefix}.${user}.clockDrift`)).toBe('3')
    expect(storage.map.get(`${prefix}.${user}.deviceKey`)).toBe(deviceKey)
    const refreshed = await client.refresh({ force: true })
    expect(storage.map.get(`${prefix}.${user}.accessToken`)).toBe(refreshed.accessToken)
    stop()
    await client.refresh({ force: true })
    expect(storage.map.get(`${prefix}.${user}.accessToken`)).toBe(refreshed.accessToken)
  })

  it('writes Amplify v6 keys (clockDrift in ms, iat*1000 - now)', () => {
    const { client, clock, transport } = setup({ clientId })
    const storage = mapStorage()
    legacyWriteBack(client, { clientId, storage, source: 'amplify', username: 'chosen' })
    const signIn = transport.signIn({ username: user })
    clock.sleep(2500)
    client.setSession(signIn)
    const iat = Math.floor((clock.now() - 2500) / 1000)
    expect(storage.map.get(`${prefix}.LastAuthUser`)).toBe('chosen')
    expect(storage.map.get(`${prefix}.chosen.clockDrift`)).toBe(String(iat * 1000 - clock.now()))
  })

  it.each([
    ['server 2 min behind', -120_000],
    ['server 10 min ahead', 600_000],
  ])(
    'writes back an adopted Amplify session with the clockDrift Amplify had, whatever its age (%s)',
    (_, aheadMs) => {
      const { client, clock } = setup({ clientId })
      // Signed in 50 minutes ago: a clockDrift from the adoption time would add those 50 minutes.
      const { storage, login, exp, drift } = amplifyStored(clock.now(), aheadMs, 3000)
      legacyWriteBack(client, { clientId, storage, source: 'amplify' })
      adoptLegacySession(client, { clientId, storage, source: 'amplify', now: clock.now })
      const expiresAt = client.getSnapshot().tokens!.expiresAt
      const written = Number(storage.map.get(`${prefix}.${login}.clockDrift`))
      // Amplify's expiry (exp * 1000 - clockDrift) is ours, and the one it computed itself,
      // give or take the second that ExpiresIn rounds off (never later).
      expect(exp * 1000 - written).toBe(expiresAt)
      expect(written).toBeGreaterThanOrEqual(drift)
      expect(written).toBeLessThan(drift + 1000)
    },
  )

  it('writes back an adopted identity-js session with the clockDrift it had, whatever its age', () => {
    const { client, clock } = setup({ clientId })
    const storage = legacy(clock.now(), 3000)
    // The package's value at sign-in 50 minutes ago, with the server as fast as this device.
    storage.setItem(`${prefix}.${user}.clockDrift`, '0')
    legacyWriteBack(client, { clientId, storage })
    adoptLegacySession(client, { clientId, storage, now: clock.now })
    expect(storage.map.get(`${prefix}.${user}.clockDrift`)).toBe('0')
  })

  it('writes under the existing LastAuthUser when it holds the same user', () => {
    const { client, clock, transport } = setup({ clientId })
    const storage = legacy(clock.now())
    storage.setItem(`${prefix}.LastAuthUser`, 'demo@example.com')
    storage.setItem(
      `${prefix}.demo@example.com.accessToken`,
      storage.map.get(`${prefix}.${user}.accessToken`)!,
    )
    legacyWriteBack(client, { clientId, storage })
    client.setSession(transport.signIn({ username: user }))
    expect(storage.map.get(`${prefix}.LastAuthUser`)).toBe('demo@example.com')
  })

  it('clears the legacy session when ours ends, and never for a client that had none', async () => {
    const { client, clock, transport } = setup({ clientId })
    const untouched = legacy(clock.now())
    const before = new Map(untouched.map)
    legacyWriteBack(client, { clientId, storage: untouched })
    client.mount()
    expect(untouched.map).toEqual(before)
    const storage = mapStorage()
    legacyWriteBack(client, { clientId, storage })
    client.setSession(transport.signIn({ username: user, deviceKey }))
    await client.signOut()
    expect([...storage.map.keys()]).toEqual([
      `${prefix}.${user}.deviceKey`,
      `${prefix}.${user}.deviceGroupKey`,
    ])
  })

  it('clearLegacySession removes only the named user and returns what it removed', () => {
    const storage = legacy(Date.now())
    storage.setItem(`${prefix}.LastAuthUser`, 'someone-else')
    const removed = clearLegacySession({ clientId, storage, username: user })
    expect(removed.has(`${prefix}.${user}.refreshToken`)).toBe(true)
    expect(storage.map.get(`${prefix}.LastAuthUser`)).toBe('someone-else')
  })
})
