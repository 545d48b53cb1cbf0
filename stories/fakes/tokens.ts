/**
 * Fake Cognito tokens for stories, browser-safe (no Buffer). The JWTs are unsigned and carry
 * made-up claims; nothing here is, or looks up, real token material.
 */
import type { AuthenticationResult } from 'react-cognito-refresh'

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** An unsigned JWT with the given claims (the client only decodes; the story API checks by value). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ kid: 'story-kid', alg: 'RS256' }))
  return `${header}.${base64url(JSON.stringify(claims))}.ZmFrZS1zaWduYXR1cmU`
}

let counter = 0

/** A JWE-shaped opaque string, unique per call. */
export function fakeRefreshToken(): string {
  counter++
  return `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.story${counter}.iv${counter}.fake${counter}.tag${counter}`
}

export interface FakeUser {
  sub: string
  username: string
  email: string
  name: string
}

export const storyUser: FakeUser = {
  sub: '7d1f0c2e-5b7a-4c3e-9a51-2f7e0b9c4d11',
  username: 'ada@example.com',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
}

export const otherUser: FakeUser = {
  sub: '3b9e6a44-1c2d-4e5f-8a7b-6c5d4e3f2a19',
  username: 'grace@example.com',
  email: 'grace@example.com',
  name: 'Grace Hopper',
}

export interface FakeResultOptions {
  user?: FakeUser
  expiresIn?: number
  /** null: no RefreshToken in the reply (a refresh without rotation). */
  refreshToken?: string | null | undefined
}

/** An AuthenticationResult shaped like Cognito's, with fake claims. */
export function fakeAuthResult(options: FakeResultOptions = {}): AuthenticationResult {
  const user = options.user ?? storyUser
  const expiresIn = options.expiresIn ?? 3600
  const iat = Math.floor(Date.now() / 1000)
  counter++
  const common = {
    sub: user.sub,
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Story',
    iat,
    exp: iat + expiresIn,
    auth_time: iat,
    origin_jti: `0a1b2c3d-story-origin-${counter}`,
  }
  const result: AuthenticationResult = {
    AccessToken: fakeJwt({
      ...common,
      token_use: 'access',
      client_id: 'storyclient0000000000000001',
      username: user.username,
      scope: 'aws.cognito.signin.user.admin',
      jti: `story-access-${counter}`,
    }),
    IdToken: fakeJwt({
      ...common,
      token_use: 'id',
      aud: 'storyclient0000000000000001',
      'cognito:username': user.username,
      email: user.email,
      email_verified: true,
      name: user.name,
      jti: `story-id-${counter}`,
    }),
    ExpiresIn: expiresIn,
    TokenType: 'Bearer',
  }
  if (options.refreshToken !== null)
    result.RefreshToken = options.refreshToken ?? fakeRefreshToken()
  return result
}
