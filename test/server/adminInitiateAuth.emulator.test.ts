/**
 * AdminInitiateAuth: the emulator against the AWS SDK's own command (signed with SigV4 by the
 * SDK), its refusals of unsigned calls and foreign pools, and our `adminInitiateAuthTransport`
 * refreshing through an SDK client, with Cognito's errors as our typed errors.
 */
import {
  AdminInitiateAuthCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import { type AppClientConfig, secretHash } from '../../src/emulator'
import { adminInitiateAuthTransport } from '../../src/server/admin'
import {
  call,
  classic,
  rotating,
  sdk,
  secretClient,
  start,
  stopEmulatorsAfterEach,
  user,
  rejection,
} from '../emulator/helpers'

stopEmulatorsAfterEach()

const adminFlows: AppClientConfig['explicitAuthFlows'] = [
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
]
const admin = { clientId: 'admintestclient0000000005', explicitAuthFlows: adminFlows }
const adminSecret = { ...secretClient, explicitAuthFlows: adminFlows }

async function setup() {
  const emu = await start({ users: [user], clients: [admin, adminSecret, classic, rotating] })
  return { emu, client: sdk(emu) }
}

const signal = () => new AbortController().signal

describe('AdminInitiateAuth', () => {
  it('signs in and refreshes through the AWS SDK’s own AdminInitiateAuthCommand', async () => {
    const { emu, client } = await setup()
    const signIn = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: emu.userPoolId,
        ClientId: admin.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    )
    const refreshToken = signIn.AuthenticationResult?.RefreshToken ?? ''
    expect(refreshToken.split('.')).toHaveLength(5)
    const refreshed = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: emu.userPoolId,
        ClientId: admin.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    )
    expect(refreshed.AuthenticationResult?.AccessToken).toMatch(/^ey/)
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined()
    const log = emu.stats().refreshes
    expect(log.map((entry) => [entry.operation, entry.outcome])).toEqual([
      ['AdminInitiateAuth', 'ok'],
    ])
  })

  it('refuses an unsigned call, a foreign pool, a client without the admin flow, and a rotating client', async () => {
    const { emu, client } = await setup()
    const unsigned = await call(emu, 'AdminInitiateAuth', {
      UserPoolId: emu.userPoolId,
      ClientId: admin.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'x' },
    })
    expect(unsigned.status).toBe(400)
    expect(unsigned.json.__type).toBe('MissingAuthenticationTokenException')
    const forged = await call(
      emu,
      'AdminInitiateAuth',
      { UserPoolId: emu.userPoolId, ClientId: admin.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH' },
      { authorization: 'Bearer something' },
    )
    expect(forged.json.__type).toBe('IncompleteSignatureException')

    const foreign = await rejection(
      client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: 'eu-west-1_Other1',
          ClientId: admin.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      ),
    )
    expect(foreign).toBeInstanceOf(ResourceNotFoundException)
    const noFlow = await rejection(
      client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: emu.userPoolId,
          ClientId: classic.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      ),
    )
    expect(noFlow.name).toBe('InvalidParameterException')
    expect(noFlow.message).toMatch(/ADMIN_USER_PASSWORD_AUTH flow not enabled/)
    const wrongPassword = await rejection(
      client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: emu.userPoolId,
          ClientId: admin.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: 'nope' },
        }),
      ),
    )
    expect(wrongPassword).toBeInstanceOf(NotAuthorizedException)
  })

  it('adminInitiateAuthTransport refreshes with a SECRET_HASH and types Cognito’s errors', async () => {
    const { emu, client } = await setup()
    const signIn = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: emu.userPoolId,
        ClientId: adminSecret.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: user.username,
          PASSWORD: user.password,
          SECRET_HASH: secretHash(adminSecret.clientSecret, user.username, adminSecret.clientId),
        },
      }),
    )
    const refreshToken = signIn.AuthenticationResult?.RefreshToken ?? ''
    const transport = adminInitiateAuthTransport({
      client,
      userPoolId: emu.userPoolId,
      clientId: adminSecret.clientId,
      clientSecret: adminSecret.clientSecret,
    })
    const result = await transport.refresh(
      { refreshToken, username: user.username },
      { signal: signal() },
    )
    expect(result.AccessToken).toMatch(/^ey/)
    expect(result.ExpiresIn).toBe(3600)

    // A dead token is terminal; neither the token nor the secret is in the error.
    const dead = await rejection(
      transport.refresh(
        { refreshToken: `${refreshToken}x`, username: user.username },
        { signal: signal() },
      ),
    )
    expect(isAuthError(dead) && dead.code).toBe('NotAuthorizedException')
    expect(isAuthError(dead) && dead.kind).toBe('terminal')
    expect(JSON.stringify(dead)).not.toContain(refreshToken)
    expect(String(dead.message)).not.toContain(adminSecret.clientSecret)
    // No username for the SECRET_HASH: our configuration error, not a sign-out.
    const noUser = await rejection(transport.refresh({ refreshToken }, { signal: signal() }))
    expect(isAuthError(noUser) && [noUser.code, noUser.kind]).toEqual([
      'ConfigurationError',
      'fatal',
    ])
  })

  it('adminInitiateAuthTransport: an unreachable endpoint is a retryable network error', async () => {
    const { emu } = await setup()
    const url = emu.url
    await emu.stop()
    const transport = adminInitiateAuthTransport({
      client: sdk({ ...emu, url } as typeof emu),
      userPoolId: emu.userPoolId,
      clientId: admin.clientId,
    })
    const error = await rejection(
      transport.refresh({ refreshToken: 'a.b.c.d.e' }, { signal: signal() }),
    )
    expect(isAuthError(error) && [error.code, error.kind]).toEqual(['NetworkError', 'retryable'])
  })

  it('adminInitiateAuthTransport: a rotating client’s refusal is a configuration error, not a sign-out', async () => {
    const { emu, client } = await setup()
    const transport = adminInitiateAuthTransport({
      client,
      userPoolId: emu.userPoolId,
      clientId: rotating.clientId,
    })
    const error = await rejection(
      transport.refresh({ refreshToken: 'a.b.c.d.e' }, { signal: signal() }),
    )
    expect(isAuthError(error) && [error.code, error.kind]).toEqual(['ConfigurationError', 'fatal'])
    expect(error.message).toMatch(/cognitoTransport/)
  })
})
