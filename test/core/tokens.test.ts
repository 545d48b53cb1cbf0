import { describe, expect, it } from 'vitest'
import { createTokenSet } from '../../src/core/tokens'
import { authResult, fakeJwt } from '../helpers/tokens'

const sub = '11111111-2222-4333-8444-555555555555'

describe('createTokenSet: lifetime', () => {
  it('takes exp - iat when the reply has no ExpiresIn', () => {
    const access = fakeJwt({ sub, iat: 1_000, exp: 1_600 })
    const tokens = createTokenSet(
      { AccessToken: access, RefreshToken: 'r.t.x' },
      { now: 5e12, sessionId: 's' },
    )
    expect(tokens.expiresAt).toBe(5e12 + 600_000)
  })

  it.each([
    ['no exp', { sub, iat: 1_000 }],
    ['exp before iat', { sub, iat: 1_000, exp: 900 }],
    ['more than a day', { sub, iat: 0, exp: 86_401 }],
  ])('still refuses a reply without ExpiresIn and %s', (_case, claims) => {
    expect(() =>
      createTokenSet(
        { AccessToken: fakeJwt(claims), RefreshToken: 'r.t.x' },
        { now: 1, sessionId: 's' },
      ),
    ).toThrow(expect.objectContaining({ code: 'InvalidResponse' }))
  })
})

describe('createTokenSet: device', () => {
  const deviceKey = 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f'
  const first = () => {
    const result = authResult({ sub, deviceKey })
    result.NewDeviceMetadata!.RandomPasswordKey = 'cGFzc3dvcmQtb2YtdGhlLWRldmljZQ'
    return createTokenSet(result, { now: 1, sessionId: 's' })
  }

  it('keeps the device through refreshes that do not mention it', () => {
    const next = createTokenSet(authResult({ sub }), { now: 2, previous: first(), sessionId: 's' })
    expect(next).toMatchObject({
      deviceKey,
      deviceGroupKey: '-wt2ha1Zd',
      randomPasswordKey: 'cGFzc3dvcmQtb2YtdGhlLWRldmljZQ',
    })
  })

  it('a new device does not inherit the old one’s group key and password', () => {
    const other = 'us-east-1_99999999-7a8b-4c9d-8e1f-2a3b4c5d6e7f'
    const result = authResult({ sub })
    result.NewDeviceMetadata = { DeviceKey: other }
    const next = createTokenSet(result, { now: 2, previous: first(), sessionId: 's' })
    expect(next).toMatchObject({
      deviceKey: other,
      deviceGroupKey: undefined,
      randomPasswordKey: undefined,
    })
  })

  it('learns the device from the access token’s device_key claim', () => {
    const access = fakeJwt({ sub, iat: 1, exp: 3601, device_key: deviceKey })
    const tokens = createTokenSet(
      { AccessToken: access, ExpiresIn: 3600, RefreshToken: 'r.t.x' },
      { now: 1, sessionId: 's' },
    )
    expect(tokens.deviceKey).toBe(deviceKey)
  })
})
