/**
 * The official AWS SDK v3 pointed at the emulator: successes parse, and every error the emulator
 * produces arrives as the SDK's own exception class with the right name and message.
 */
import {
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { secretHash } from '../../src/emulator'
import {
  classic,
  rotating,
  sdk,
  secretClient,
  start,
  stopEmulatorsAfterEach,
  user,
  rejection,
} from './helpers'

stopEmulatorsAfterEach()

const clients = [
  rotating,
  classic,
  secretClient,
  { clientId: 'norevoke00000000000000004', enableTokenRevocation: false },
]

async function setup() {
  const emu = await start({
    users: [user, { username: 'bob', password: 'Passw0rd!bob', confirmed: false }],
    clients,
  })
  return { emu, client: sdk(emu) }
}

describe('AWS SDK v3 against the emulator', () => {
  it('signs in with USER_PASSWORD_AUTH and refreshes with both operations', async () => {
    const { emu, client } = await setup()
    const signIn = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: classic.clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    )
    expect(signIn.$metadata.httpStatusCode).toBe(200)
    expect(signIn.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(signIn.ChallengeParameters).toEqual({})
    const auth = signIn.AuthenticationResult
    expect(auth?.ExpiresIn).toBe(3600)
    expect(auth?.TokenType).toBe('Bearer')
    expect(auth?.RefreshToken?.split('.')).toHaveLength(5)

    const viaGetTokens = await client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: classic.clientId,
        RefreshToken: auth?.RefreshToken ?? '',
      }),
    )
    expect(viaGetTokens.AuthenticationResult?.AccessToken).toMatch(/^ey/)
    expect(viaGetTokens.AuthenticationResult?.RefreshToken).toBeUndefined()

    const viaInitiate = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: classic.clientId,
        AuthParameters: { REFRESH_TOKEN: auth?.RefreshToken ?? '' },
      }),
    )
    expect(viaInitiate.AuthenticationResult?.IdToken).toMatch(/^ey/)
    expect(viaInitiate.AuthenticationResult?.RefreshToken).toBeUndefined()
    expect(emu.stats().calls.InitiateAuth?.ok).toBe(2)
  })

  it('rotates with GetTokensFromRefreshToken and revokes with RevokeToken', async () => {
    const { emu, client } = await setup()
    const first = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const rotated = await client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: rotating.clientId,
        RefreshToken: first.RefreshToken,
      }),
    )
    const next = rotated.AuthenticationResult?.RefreshToken ?? ''
    expect(next).not.toBe(first.RefreshToken)
    await client.send(new RevokeTokenCommand({ ClientId: rotating.clientId, Token: next }))
    const error = await rejection(
      client.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: rotating.clientId, RefreshToken: next }),
      ),
    )
    expect(error).toBeInstanceOf(NotAuthorizedException)
    expect(error.message).toBe('Refresh Token has been revoked')
  })

  it('lets the SDK retry a throttled call and succeed', async () => {
    const { emu } = await setup()
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    emu.faults.failNext({ kind: 'throttle', retryAfterSeconds: 0 })
    const reply = await sdk(emu, 3).send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: classic.clientId,
        RefreshToken: session.RefreshToken,
      }),
    )
    expect(reply.$metadata.attempts).toBe(2)
    expect(emu.stats().calls.GetTokensFromRefreshToken).toEqual({
      TooManyRequestsException: 1,
      ok: 1,
    })
  })

  it('accepts SECRET_HASH keyed on the real username and the raw ClientSecret', async () => {
    const { emu, client } = await setup()
    const hash = secretHash(secretClient.clientSecret, user.username, secretClient.clientId)
    const signIn = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: secretClient.clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password, SECRET_HASH: hash },
      }),
    )
    const token = signIn.AuthenticationResult?.RefreshToken ?? ''
    const viaHash = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN',
        ClientId: secretClient.clientId,
        AuthParameters: { REFRESH_TOKEN: token, SECRET_HASH: hash },
      }),
    )
    expect(viaHash.AuthenticationResult?.AccessToken).toBeDefined()
    const wrongHash = await rejection(
      client.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: secretClient.clientId,
          AuthParameters: {
            REFRESH_TOKEN: token,
            SECRET_HASH: secretHash(
              secretClient.clientSecret,
              'alice@example.com',
              secretClient.clientId,
            ),
          },
        }),
      ),
    )
    expect(wrongHash).toBeInstanceOf(NotAuthorizedException)
    expect(wrongHash.message).toBe(
      `Unable to verify secret hash for client ${secretClient.clientId}`,
    )
    const viaSecret = await client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: secretClient.clientId,
        RefreshToken: token,
        ClientSecret: secretClient.clientSecret,
      }),
    )
    expect(viaSecret.AuthenticationResult?.IdToken).toBeDefined()
    const wrongSecret = await rejection(
      client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: secretClient.clientId,
          RefreshToken: token,
          ClientSecret: 'wrongwrongwrongwrongwrongwrong',
        }),
      ),
    )
    expect(wrongSecret).toBeInstanceOf(NotAuthorizedException)
    expect(wrongSecret.message).toBe(
      `Unable to verify secret hash for client ${secretClient.clientId}`,
    )
    expect(emu.stats().calls.InitiateAuth).toEqual({ ok: 2, NotAuthorizedException: 1 })
  })
})
