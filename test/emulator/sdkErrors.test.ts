/**
 * Every error type the emulator produces reaches the official AWS SDK v3 as the SDK's own
 * exception class, with the right name and message.
 */
import {
  CognitoIdentityProviderServiceException,
  ForbiddenException,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  InternalErrorException,
  InvalidParameterException,
  NotAuthorizedException,
  RefreshTokenReuseException,
  ResourceNotFoundException,
  RevokeTokenCommand,
  TooManyRequestsException,
  UnauthorizedException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
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

describe('AWS SDK v3 error mapping', () => {
  it('maps every error type to the SDK exception class, name and message', async () => {
    const { emu, client } = await setup()
    const good = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const rotatingSession = await emu.signIn({
      username: user.username,
      clientId: rotating.clientId,
    })
    const refresh = (input: { ClientId: string; RefreshToken: string; ClientSecret?: string }) =>
      client.send(new GetTokensFromRefreshTokenCommand(input))
    const cases: Array<
      [string, () => Promise<unknown>, new (...args: never[]) => Error, string | RegExp]
    > = [
      [
        'unknown client',
        () => refresh({ ClientId: 'nosuchclient', RefreshToken: good.RefreshToken }),
        ResourceNotFoundException,
        'User pool client nosuchclient does not exist.',
      ],
      [
        'unknown token',
        () => refresh({ ClientId: classic.clientId, RefreshToken: 'abc.def.ghi.jkl.mno' }),
        NotAuthorizedException,
        'Invalid Refresh Token.',
      ],
      [
        'other client',
        () => refresh({ ClientId: rotating.clientId, RefreshToken: good.RefreshToken }),
        NotAuthorizedException,
        'Invalid Refresh Token.',
      ],
      [
        'missing secret',
        () => refresh({ ClientId: secretClient.clientId, RefreshToken: good.RefreshToken }),
        NotAuthorizedException,
        `Client ${secretClient.clientId} is configured for secret but secret was not received`,
      ],
      [
        'validation',
        () => refresh({ ClientId: 'bad id!', RefreshToken: good.RefreshToken }),
        InvalidParameterException,
        "1 validation error detected: Value 'bad id!' at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
      ],
      [
        'missing member',
        () => refresh({ ClientId: classic.clientId } as never),
        InvalidParameterException,
        "1 validation error detected: Value null at 'refreshToken' failed to satisfy constraint: Member must not be null",
      ],
      [
        'wrong password',
        () =>
          client.send(
            new InitiateAuthCommand({
              AuthFlow: 'USER_PASSWORD_AUTH',
              ClientId: classic.clientId,
              AuthParameters: { USERNAME: user.username, PASSWORD: 'nope' },
            }),
          ),
        NotAuthorizedException,
        'Incorrect username or password.',
      ],
      [
        'unconfirmed',
        () =>
          client.send(
            new InitiateAuthCommand({
              AuthFlow: 'USER_PASSWORD_AUTH',
              ClientId: classic.clientId,
              AuthParameters: { USERNAME: 'bob', PASSWORD: 'Passw0rd!bob' },
            }),
          ),
        UserNotConfirmedException,
        'User is not confirmed.',
      ],
      [
        'rotating REFRESH_TOKEN_AUTH',
        () =>
          client.send(
            new InitiateAuthCommand({
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              ClientId: rotating.clientId,
              AuthParameters: { REFRESH_TOKEN: rotatingSession.RefreshToken },
            }),
          ),
        NotAuthorizedException,
        /GetTokensFromRefreshToken/,
      ],
      [
        'revoke access token',
        () =>
          client.send(
            new RevokeTokenCommand({ ClientId: classic.clientId, Token: good.AccessToken }),
          ),
        UnsupportedTokenTypeException,
        /refresh tokens/,
      ],
      [
        'revoke other client',
        () =>
          client.send(
            new RevokeTokenCommand({ ClientId: rotating.clientId, Token: good.RefreshToken }),
          ),
        UnauthorizedException,
        /not issued to this client/,
      ],
      [
        'revocation off',
        () =>
          client.send(
            new RevokeTokenCommand({
              ClientId: 'norevoke00000000000000004',
              Token: good.RefreshToken,
            }),
          ),
        UnsupportedOperationException,
        /not enabled/,
      ],
    ]
    for (const [label, run, type, message] of cases) {
      const error = await rejection(run())
      expect(error, label).toBeInstanceOf(type)
      expect(error.name, label).toBe(type.name)
      if (typeof message === 'string') expect(error.message, label).toBe(message)
      else expect(error.message, label).toMatch(message)
    }

    // Rotation reuse after the grace window.
    const rotated = await refresh({
      ClientId: rotating.clientId,
      RefreshToken: rotatingSession.RefreshToken,
    })
    expect(rotated.AuthenticationResult?.RefreshToken).toBeDefined()
    emu.faults.set({ clockOffsetMs: 31_000 })
    const reuse = await rejection(
      refresh({ ClientId: rotating.clientId, RefreshToken: rotatingSession.RefreshToken }),
    )
    expect(reuse).toBeInstanceOf(RefreshTokenReuseException)
    expect(reuse.message).toBe('Refresh token has been invalidated by rotation.')
    emu.faults.clear()

    // The owner was deleted, then disabled.
    emu.deleteUser(user.username)
    const gone = await rejection(
      refresh({ ClientId: classic.clientId, RefreshToken: good.RefreshToken }),
    )
    expect(gone).toBeInstanceOf(UserNotFoundException)
    expect(gone.message).toBe('User does not exist.')
  })

  it('delivers injected faults as SDK exceptions with retry metadata', async () => {
    const { emu, client } = await setup()
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const refresh = () =>
      client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: classic.clientId,
          RefreshToken: session.RefreshToken,
        }),
      )
    emu.faults.failNext(
      { kind: 'throttle', retryAfterSeconds: 2 },
      { kind: 'error', code: 'InternalErrorException' },
      { kind: 'error', code: 'ForbiddenException' },
      { kind: 'error', code: 'CustomThingException', message: 'odd' },
    )
    const throttled = await rejection(refresh())
    expect(throttled).toBeInstanceOf(TooManyRequestsException)
    expect(throttled.message).toBe('Rate exceeded')
    expect((throttled as TooManyRequestsException).$metadata.httpStatusCode).toBe(400)
    const internal = await rejection(refresh())
    expect(internal).toBeInstanceOf(InternalErrorException)
    expect((internal as InternalErrorException).$metadata.httpStatusCode).toBe(500)
    expect(await rejection(refresh())).toBeInstanceOf(ForbiddenException)
    const unknown = await rejection(refresh())
    expect(unknown).toBeInstanceOf(CognitoIdentityProviderServiceException)
    expect(unknown.name).toBe('CustomThingException')
    expect(unknown.message).toBe('odd')
    expect((await refresh()).AuthenticationResult?.AccessToken).toBeDefined()
  })

  it('parses the protocol-level rejections the SDK can be made to provoke', async () => {
    const { emu } = await setup()
    // Corrupt what the SDK sends, after it serialized the request.
    const tampered = (
      change: (request: { headers: Record<string, string>; body: unknown }) => void,
    ) => {
      const client = sdk(emu)
      client.middlewareStack.add(
        (next) => async (args) => {
          change(args.request as { headers: Record<string, string>; body: unknown })
          return next(args)
        },
        { step: 'build', name: 'tamper' },
      )
      return client.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: classic.clientId, RefreshToken: 'abc' }),
      )
    }
    const serialization = await rejection(
      tampered((request) => {
        request.body = '{broken'
        for (const name of Object.keys(request.headers)) {
          if (name.toLowerCase() === 'content-length') request.headers[name] = '7'
        }
      }),
    )
    expect(serialization).toBeInstanceOf(CognitoIdentityProviderServiceException)
    expect(serialization.name).toBe('SerializationException')
    const unknownOperation = await rejection(
      tampered(
        (request) => (request.headers['x-amz-target'] = 'AWSCognitoIdentityProviderService.Nope'),
      ),
    )
    expect(unknownOperation.name).toBe('UnknownOperationException')
    expect(unknownOperation.message).toBe(
      'Unknown operation AWSCognitoIdentityProviderService.Nope.',
    )
  })
})
