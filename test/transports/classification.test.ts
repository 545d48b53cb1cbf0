/**
 * Errors classified by what they mean: a huge message keeps its verdict, a refused client secret
 * and an operation the endpoint lacks are configuration errors, a reply without ExpiresIn takes
 * the token's own lifetime. All through the real transports over 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import type { AuthError } from '../../src/core/errors'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { memoryStorage } from '../../src/core/platform/storage'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import { raw, startScriptedServer } from '../helpers/scriptedServer'
import { authResult, fakeJwt, fakeRefreshToken } from '../helpers/tokens'

const clientId = '1example23456789'
const amzJson = { 'Content-Type': 'application/x-amz-json-1.1' }
const error = (type: string, message: string, status = 400) =>
  raw(status, amzJson, JSON.stringify({ __type: type, message }))
const signal = () => new AbortController().signal

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const transport = (extra: Partial<Parameters<typeof cognitoTransport>[0]> = {}) =>
  cognitoTransport({ clientId, endpoint: server.url, ...extra })
const failure = (t: { refresh: ReturnType<typeof cognitoTransport>['refresh'] } = transport()) =>
  t.refresh({ refreshToken: fakeRefreshToken() }, { signal: signal() }).then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('redaction cannot change what an error means', () => {
  it.each([
    ['token characters', 'a'.repeat(8 * 1024 * 1024)],
    ['dotted token parts', 'aaaaaaaaaa.'.repeat(800_000)],
  ])('an 8 MB NotAuthorizedException message of %s stays terminal', async (_what, message) => {
    server.reply(error('NotAuthorizedException', message))
    const e = await failure()
    expect(e).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal', status: 400 })
    expect(e.message.length).toBeLessThanOrEqual(301)
  })

  it('an 8 MB error type is cut to a name, not thrown on', async () => {
    server.reply(error(`${'T'.repeat(8 * 1024 * 1024)}`, 'm'))
    expect(await failure()).toMatchObject({ code: 'UnknownServiceError', kind: 'fatal' })
  })
})

describe('a refused client secret is a ConfigurationError, the session kept', () => {
  it.each([
    ['wrong', 'abcdef0123456789abcdef0123', `Unable to verify secret hash for client ${clientId}`],
    [
      'missing',
      undefined,
      `Client ${clientId} is configured for secret but secret was not received`,
    ],
    [
      'reworded',
      'abcdef0123456789abcdef0123',
      `SecretHash does not match for the client: ${clientId}`,
    ],
  ])('cognitoTransport with a %s clientSecret', async (_case, clientSecret, message) => {
    server.reply(error('NotAuthorizedException', message))
    const e = await failure(transport(clientSecret === undefined ? {} : { clientSecret }))
    expect(e).toMatchObject({ code: 'ConfigurationError', kind: 'fatal', status: 400 })
    expect(e.message).toContain('clientSecret')
    expect(e.message).not.toContain('abcdef0123456789abcdef0123')
    expect((e.cause as AuthError).code).toBe('NotAuthorizedException')
  })

  it('says what to do about a missing secret in development only', async () => {
    const missing = `Client ${clientId} is configured for secret but secret was not received`
    server.reply(error('NotAuthorizedException', missing))
    expect((await failure(transport({}))).message).toContain('pass `clientSecret` (server side')
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      server.reply(error('NotAuthorizedException', missing))
      expect((await failure(transport({}))).message).toBe(
        "Cognito refused the app client's secret (NotAuthorizedException). " +
          'The app client has a secret and none was configured.',
      )
    } finally {
      process.env.NODE_ENV = before
    }
  })

  it('keeps the session through the client', async () => {
    const client = createAuthClient({
      clientId,
      transport: transport({ clientSecret: 'abcdef0123456789abcdef0123' }),
      storage: memoryStorage(),
      environment: {
        lock: noLock,
        channel: noChannel,
        lifecycle: noLifecycle,
      },
    })
    client.setSession(authResult())
    server.reply(
      error('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`),
    )
    await expect(client.refresh({ force: true })).rejects.toMatchObject({
      code: 'ConfigurationError',
    })
    expect(client.getSnapshot().status).toBe('authenticated')
    client.dispose()
  })

  it('a token refusal stays terminal', async () => {
    server.reply(error('NotAuthorizedException', 'Invalid Refresh Token.'))
    const e = await failure(transport({ clientSecret: 'abcdef0123456789abcdef0123' }))
    expect(e).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
  })
})

describe('an operation the endpoint lacks is a ConfigurationError, not retried', () => {
  it.each([
    ['UnknownOperationException', 400, 'Unknown operation GetTokensFromRefreshToken.'],
    ['UnknownOperationException', 500, ''],
    // cognito-local 5.3.0, verbatim (protocol reference §8.2).
    [
      'CognitoLocal#Unsupported',
      500,
      'Cognito Local unsupported feature: Unsupported x-amz-target header "GetTokensFromRefreshToken"',
    ],
  ])('%s at %i', async (type, status, message) => {
    server.reply(error(type, message, status))
    const e = await failure()
    expect(e).toMatchObject({ code: 'ConfigurationError', kind: 'fatal', status })
    expect(e.message).toContain('GetTokensFromRefreshToken')
  })

  it('for initiateAuthTransport too', async () => {
    server.reply(error('UnknownOperationException', '', 500))
    const e = await failure(initiateAuthTransport({ clientId, endpoint: server.url }))
    expect(e).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(e.message).toContain('InitiateAuth')
  })

  it('says what to do in development only; production keeps the fact', async () => {
    server.reply(error('UnknownOperationException', '', 500))
    expect((await failure()).message).toContain('Point the transport at Cognito')
    const before = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      server.reply(error('UnknownOperationException', '', 500))
      expect((await failure()).message).toBe(
        'The endpoint does not offer GetTokensFromRefreshToken (UnknownOperationException).',
      )
    } finally {
      process.env.NODE_ENV = before
    }
  })
})

describe('a reply without ExpiresIn', () => {
  it("takes the access token's exp - iat, whatever the device clock says", async () => {
    const iat = 1_700_000_000
    const access = fakeJwt({ sub: 'u', token_use: 'access', iat, exp: iat + 900 })
    server.reply(
      raw(200, amzJson, JSON.stringify({ AuthenticationResult: { AccessToken: access } })),
    )
    // The device clock is five hours ahead of the server's.
    const now = (iat + 5 * 3600) * 1000
    const client = createAuthClient({
      clientId,
      transport: transport(),
      storage: memoryStorage(),
      environment: {
        lock: noLock,
        channel: noChannel,
        lifecycle: noLifecycle,
        clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined },
      },
    })
    client.setSession(authResult({ sub: 'u', now: iat * 1000 })) // issued on the server's clock
    const tokens = await client.refresh({ force: true })
    expect(tokens.accessToken).toBe(access)
    expect(tokens.expiresAt).toBe(now + 900_000)
    client.dispose()
  })
})
