import type { AuthenticationResult } from '../../src/core/tokens'

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An unsigned JWT with the given claims; the client only decodes, the server verifies. */
export function fakeJwt(claims: Record<string, unknown>, kid = 'test-kid'): string {
  return `${b64url({ kid, alg: 'RS256' })}.${b64url(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`
}

let counter = 0

/** A JWE-shaped opaque refresh token, unique per call. */
export function fakeRefreshToken(label = 'rt'): string {
  counter++
  return `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${label}${counter}KEY.IV${counter}.CIPHER${counter}TEXT.TAG${counter}`
}

export interface ResultOptions {
  sub?: string | undefined
  username?: string
  expiresIn?: number
  now?: number | undefined
  refreshToken?: string | null
  deviceKey?: string
}

/** A Cognito AuthenticationResult as sign-in or refresh returns it. */
export function authResult(options: ResultOptions = {}): AuthenticationResult {
  const sub = options.sub ?? '11111111-2222-4333-8444-555555555555'
  const username = options.username ?? sub
  const expiresIn = options.expiresIn ?? 3600
  const iat = Math.floor((options.now ?? Date.now()) / 1000)
  counter++
  const result: AuthenticationResult = {
    AccessToken: fakeJwt({
      sub,
      username,
      token_use: 'access',
      iat,
      exp: iat + expiresIn,
      jti: `a${counter}`,
    }),
    IdToken: fakeJwt(
      {
        sub,
        'cognito:username': username,
        token_use: 'id',
        iat,
        exp: iat + expiresIn,
        email: 'demo@example.com',
      },
      'id-kid',
    ),
    ExpiresIn: expiresIn,
    TokenType: 'Bearer',
  }
  if (options.refreshToken !== null)
    result.RefreshToken = options.refreshToken ?? fakeRefreshToken()
  if (options.deviceKey !== undefined) {
    result.NewDeviceMetadata = { DeviceKey: options.deviceKey, DeviceGroupKey: '-wt2ha1Zd' }
  }
  return result
}
