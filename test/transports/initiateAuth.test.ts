import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../../src/core/errors'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import { secretHash } from '../../src/core/transports/secretHash'
import { raw, startScriptedServer } from '../helpers/scriptedServer'

// Byte sequences from the protocol reference (§1.3, §3.3, §3.5).
const refreshToken =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.EXAMPLEKEY.EXAMPLEIV.EXAMPLECIPHERTEXT.EXAMPLETAG'
const clientId = '1example23456789'
const clientSecret = 'abcdef0123456789abcdef0123'
const username = '53c0eafe-5b70-4674-84f6-f24cbd120930'
const deviceKey = 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f'
const exampleRequest = `{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"1example23456789","AuthParameters":{"REFRESH_TOKEN":"${refreshToken}","SECRET_HASH":"tr5UCYzmcGFNz42r6TQn8EA1D/5rnOCTRwyhMLiTblk=","DEVICE_KEY":"${deviceKey}"}}`
const exampleSuccess =
  '{"ChallengeParameters":{},"AuthenticationResult":{"AccessToken":"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.ACCESS.SIG","ExpiresIn":3600,"TokenType":"Bearer","IdToken":"eyJraWQiOiJkZWYiLCJhbGciOiJSUzI1NiJ9.ID.SIG"}}'
const amzJson = { 'Content-Type': 'application/x-amz-json-1.1' }
const error = (type: string, message: string, status = 400) =>
  raw(
    status,
    { ...amzJson, 'x-amzn-ErrorType': `${type}:`, 'x-amzn-ErrorMessage': message },
    JSON.stringify({ __type: type, message }),
  )

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const signal = () => new AbortController().signal
const transport = (extra: Partial<Parameters<typeof initiateAuthTransport>[0]> = {}) =>
  initiateAuthTransport({ clientId, endpoint: server.url, ...extra })
const failure = (t = transport(), request: Record<string, unknown> = {}) =>
  t.refresh({ refreshToken, ...request }, { signal: signal() }).then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('secretHash', () => {
  it('matches the worked example of the protocol reference', async () => {
    expect(await secretHash(clientSecret, username, clientId)).toBe(
      'tr5UCYzmcGFNz42r6TQn8EA1D/5rnOCTRwyhMLiTblk=',
    )
  })

  it('depends on every input and hashes UTF-8', async () => {
    const base = await secretHash(clientSecret, username, clientId)
    expect(await secretHash(clientSecret, 'demo@example.com', clientId)).not.toBe(base)
    expect(await secretHash(`${clientSecret}x`, username, clientId)).not.toBe(base)
    const { createHmac } = await import('node:crypto')
    const expected = createHmac('sha256', 'sécret').update(`jürgen${clientId}`).digest('base64')
    expect(await secretHash('sécret', 'jürgen', clientId)).toBe(expected)
  })
})

describe('initiateAuthTransport: request', () => {
  it('sends the exact 336-byte body of the reference example (secret + device key)', async () => {
    server.reply(raw(200, amzJson, exampleSuccess))
    const result = await transport({ clientSecret }).refresh(
      { refreshToken, username, deviceKey },
      { signal: signal() },
    )
    const [request] = server.requests
    expect(request!.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.InitiateAuth')
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(request!.body).toBe(exampleRequest)
    expect(request!.headers['content-length']).toBe('336')
    expect(Buffer.byteLength(exampleSuccess)).toBe(209)
    expect(result).toEqual(JSON.parse(exampleSuccess).AuthenticationResult)
  })

  it('sends no SECRET_HASH or DEVICE_KEY for a public client without a device', async () => {
    server.reply(raw(200, amzJson, exampleSuccess))
    await transport().refresh({ refreshToken, username }, { signal: signal() })
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    })
  })

  it('passes ClientMetadata and keys the hash on the username override', async () => {
    server.reply(raw(200, amzJson, exampleSuccess), raw(200, amzJson, exampleSuccess))
    const fixed = transport({ clientSecret, username })
    await fixed.refresh(
      { refreshToken, username: 'demo@example.com', clientMetadata: { tenant: 'a' } },
      { signal: signal() },
    )
    const body = JSON.parse(server.requests[0]!.body)
    expect(body.AuthParameters.SECRET_HASH).toBe('tr5UCYzmcGFNz42r6TQn8EA1D/5rnOCTRwyhMLiTblk=')
    expect(body.ClientMetadata).toEqual({ tenant: 'a' })
    const fromFn = transport({ clientSecret, username: (r) => r.username?.toUpperCase() })
    await fromFn.refresh({ refreshToken, username: 'abc' }, { signal: signal() })
    expect(JSON.parse(server.requests[1]!.body).AuthParameters.SECRET_HASH).toBe(
      await secretHash(clientSecret, 'ABC', clientId),
    )
  })

  it('refuses to guess a username for SECRET_HASH, before any request', async () => {
    const error = await failure(transport({ clientSecret }))
    expect(error).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(error.message).toContain('username')
    expect(server.requests).toHaveLength(0)
  })

  it('revokes with RevokeToken and the raw secret', async () => {
    server.reply(raw(200, amzJson, '{}'))
    await transport({ clientSecret }).revoke!({ refreshToken }, { signal: signal() })
    expect(server.requests[0]!.headers['x-amz-target']).toBe(
      'AWSCognitoIdentityProviderService.RevokeToken',
    )
    expect(server.requests[0]!.body).toBe(
      `{"Token":"${refreshToken}","ClientId":"${clientId}","ClientSecret":"${clientSecret}"}`,
    )
  })
})

describe('initiateAuthTransport: errors', () => {
  it('keeps an invalid refresh token terminal once GetTokensFromRefreshToken agrees', async () => {
    server.reply(error('NotAuthorizedException', 'Invalid Refresh Token.'))
    server.reply(error('NotAuthorizedException', 'Invalid Refresh Token.'))
    expect(await failure()).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
    expect(server.requests.map((r) => r.headers['x-amz-target'])).toEqual([
      'AWSCognitoIdentityProviderService.InitiateAuth',
      'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
    ])
  })

  it.each([
    [
      'NotAuthorizedException',
      'Refresh token rotation must be completed with GetTokensFromRefreshToken.',
    ],
    ['InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client'],
    ['UnsupportedOperationException', 'Refresh token rotation is enabled for this client.'],
  ])(
    'turns %s "%s" into a fatal ConfigurationError naming cognitoTransport where GetTokensFromRefreshToken is unknown',
    async (type, message) => {
      server.reply(error(type, message), error('UnknownOperationException', ''))
      const e = await failure()
      expect(e).toMatchObject({ code: 'ConfigurationError', kind: 'fatal', status: 400 })
      expect(e.message).toContain('cognitoTransport')
      expect(e.message).toContain('GetTokensFromRefreshToken')
      expect((e.cause as AuthError).code).toBe(type)
    },
  )

  it('explains a SECRET_HASH refusal instead of ending the session', async () => {
    server.reply(
      error('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`),
    )
    const e = await failure(transport({ clientSecret }), { username: 'demo@example.com' })
    expect(e).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(e.message).toContain('cognito:username')
    expect(e.message).not.toContain(clientSecret)
  })

  it('retries throttling and server faults, whatever their message says', async () => {
    server.reply(error('TooManyRequestsException', 'Rate exceeded'))
    server.reply(error('InternalErrorException', 'rotation service down', 500))
    expect(await failure()).toMatchObject({ code: 'TooManyRequestsException', kind: 'retryable' })
    expect(await failure()).toMatchObject({ code: 'InternalErrorException', kind: 'retryable' })
  })

  it('keeps an unexpected rotated RefreshToken and warns once, without token material', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const rotated = JSON.parse(exampleSuccess)
    rotated.AuthenticationResult.RefreshToken = `${refreshToken}NEW`
    server.reply(
      raw(200, amzJson, JSON.stringify(rotated)),
      raw(200, amzJson, JSON.stringify(rotated)),
    )
    const result = await transport().refresh({ refreshToken }, { signal: signal() })
    await transport().refresh({ refreshToken }, { signal: signal() })
    expect(result.RefreshToken).toBe(`${refreshToken}NEW`)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toContain('cognitoTransport')
    expect(String(warn.mock.calls[0]![0])).not.toContain('EXAMPLE')
    warn.mockRestore()
  })
})
