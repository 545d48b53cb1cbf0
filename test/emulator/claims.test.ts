/** Token contents: Cognito's claims, separate keys, what refreshes keep and renew, devices. */
import { describe, expect, it } from 'vitest'
import {
  authResult,
  call,
  classic,
  decode,
  rotating,
  start,
  stopEmulatorsAfterEach,
  user,
} from './helpers'

stopEmulatorsAfterEach()

describe('token claims', () => {
  it('issues Cognito-shaped ID and access tokens signed with different keys', async () => {
    const emu = await start({ users: [{ ...user, groups: ['admins'] }], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const access = decode(session.AccessToken)
    const id = decode(session.IdToken)
    expect(access.header).toEqual({ kid: expect.any(String), alg: 'RS256' })
    expect(id.header.kid).not.toBe(access.header.kid)
    const now = Math.floor(Date.now() / 1000)
    expect(access.payload).toMatchObject({
      iss: emu.issuer,
      client_id: rotating.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: user.username,
      'cognito:groups': ['admins'],
    })
    expect(access.payload.exp).toBe((access.payload.iat as number) + 3600)
    expect(Math.abs((access.payload.iat as number) - now)).toBeLessThanOrEqual(2)
    expect(access.payload.auth_time).toBe(access.payload.iat)
    for (const claim of ['sub', 'jti', 'origin_jti', 'event_id']) {
      expect(access.payload[claim], claim).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(id.payload).toMatchObject({
      iss: emu.issuer,
      aud: rotating.clientId,
      token_use: 'id',
      'cognito:username': user.username,
      email: 'alice@example.com',
      email_verified: true,
      sub: access.payload.sub,
      origin_jti: access.payload.origin_jti,
    })
    expect(id.payload.jti).not.toBe(access.payload.jti)
    expect(emu.issuer).toBe(`${emu.url}/${emu.userPoolId}`)
  })

  it('keeps auth_time and origin_jti across refreshes and renews jti, iat and exp', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const before = decode(session.AccessToken).payload
    emu.faults.set({ clockOffsetMs: 3_000 })
    const reply = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: rotating.clientId,
      RefreshToken: session.RefreshToken,
    })
    const after = decode(authResult(reply).AccessToken as string).payload
    const afterId = decode(authResult(reply).IdToken as string).payload
    expect(after.auth_time).toBe(before.auth_time)
    expect(afterId.auth_time).toBe(before.auth_time)
    expect(after.origin_jti).toBe(before.origin_jti)
    expect(afterId.origin_jti).toBe(before.origin_jti)
    expect(after.jti).not.toBe(before.jti)
    expect(after.iat as number).toBeGreaterThanOrEqual((before.iat as number) + 3)
    expect(after.exp).toBe((after.iat as number) + 3600)
    const log = emu.stats().refreshes
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({
      operation: 'GetTokensFromRefreshToken',
      originJti: before.origin_jti,
      outcome: 'ok',
      rotated: true,
    })
  })

  it('sets ExpiresIn to the access-token validity, down to seconds', async () => {
    const emu = await start({
      users: [user],
      clients: [{ clientId: 'short', accessTokenValiditySeconds: 2, idTokenValiditySeconds: 3 }],
    })
    const session = await emu.signIn({ username: user.username, clientId: 'short' })
    expect(session.ExpiresIn).toBe(2)
    const access = decode(session.AccessToken).payload
    const id = decode(session.IdToken).payload
    expect((access.exp as number) - (access.iat as number)).toBe(2)
    expect((id.exp as number) - (id.iat as number)).toBe(3)
  })

  it('issues opaque five-part refresh tokens that are not readable JWTs', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const parts = session.RefreshToken.split('.')
    expect(parts).toHaveLength(5)
    expect(session.RefreshToken).toMatch(/^[A-Za-z0-9\-_=.]+$/)
    expect(JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString())).toEqual({
      cty: 'JWT',
      enc: 'A256GCM',
      alg: 'RSA-OAEP',
    })
    expect(() => JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString())).toThrow()
  })

  it('issues tokens as if the clock were skewed', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    emu.faults.set({ clockOffsetMs: -7_200_000 })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const access = decode(session.AccessToken).payload
    expect(Math.floor(Date.now() / 1000) - (access.iat as number)).toBeGreaterThanOrEqual(7199)
  })

  it('handles device tracking: NewDeviceMetadata, device_key claims, and refusals', async () => {
    const emu = await start({
      users: [user, { username: 'mallory', password: 'Passw0rd!m' }],
      clients: [{ ...classic, deviceTracking: true }],
    })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const device = session.NewDeviceMetadata
    expect(device?.DeviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/)
    expect(device?.DeviceGroupKey).toMatch(/^-/)
    expect(decode(session.AccessToken).payload.device_key).toBe(device?.DeviceKey)

    const withKey = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: session.RefreshToken,
      DeviceKey: device?.DeviceKey,
    })
    expect(authResult(withKey).NewDeviceMetadata).toBeUndefined()
    expect(decode(authResult(withKey).AccessToken as string).payload.device_key).toBe(
      device?.DeviceKey,
    )

    const withoutKey = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: session.RefreshToken,
    })
    const fresh = authResult(withoutKey).NewDeviceMetadata as { DeviceKey: string }
    expect(fresh.DeviceKey).not.toBe(device?.DeviceKey)

    const viaInitiate = (deviceKey: string | undefined) =>
      call(emu, 'InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: classic.clientId,
        AuthParameters: {
          REFRESH_TOKEN: session.RefreshToken,
          ...(deviceKey !== undefined && { DEVICE_KEY: deviceKey }),
        },
      })
    expect((await viaInitiate(device?.DeviceKey)).status).toBe(200)
    expect((await viaInitiate(undefined)).json.message).toBe('Invalid Refresh Token.')
    const other = await emu.signIn({ username: 'mallory', clientId: classic.clientId })
    expect((await viaInitiate(other.NewDeviceMetadata?.DeviceKey)).json.message).toBe(
      'Invalid Refresh Token.',
    )
  })

  it('refuses a disabled user and accepts them again once enabled', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    emu.updateUser(user.username, { enabled: false })
    const refused = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: session.RefreshToken,
    })
    expect(refused.json).toEqual({ __type: 'NotAuthorizedException', message: 'User is disabled.' })
    emu.updateUser(user.username, { enabled: true })
    const ok = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: session.RefreshToken,
    })
    expect(ok.status).toBe(200)
  })
})
