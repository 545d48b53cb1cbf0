/** The awsJson1_1 bytes on the wire: headers, status codes, error bodies, and rejected requests. */
import { describe, expect, it } from 'vitest'
import { authResult, call, classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const clients = [rotating, classic]

describe('awsJson1_1 wire format', () => {
  it('answers a success with the service headers', async () => {
    const emu = await start({ users: [user], clients })
    const reply = await call(emu, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: classic.clientId,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    })
    expect(reply.status).toBe(200)
    expect(reply.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    expect(reply.headers.get('x-amzn-requestid')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(reply.headers.get('content-length')).toBe(String(Buffer.byteLength(reply.text)))
    expect(Object.keys(reply.json)).toEqual(['ChallengeParameters', 'AuthenticationResult'])
    expect(Object.keys(authResult(reply))).toEqual([
      'AccessToken',
      'ExpiresIn',
      'TokenType',
      'RefreshToken',
      'IdToken',
    ])
  })

  it('writes errors as __type/message body plus x-amzn-ErrorType/ErrorMessage headers, 400', async () => {
    const emu = await start({ users: [user], clients })
    const reply = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: 'abc.def',
    })
    expect(reply.status).toBe(400)
    expect(reply.text).toBe(
      '{"__type":"NotAuthorizedException","message":"Invalid Refresh Token."}',
    )
    expect(reply.headers.get('content-length')).toBe('70')
    expect(reply.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:')
    expect(reply.headers.get('x-amzn-errormessage')).toBe('Invalid Refresh Token.')
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(reply.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    const unknownClient = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: 'nope',
      RefreshToken: 'abc',
    })
    expect(unknownClient.status).toBe(400)
    expect(unknownClient.json).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'User pool client nope does not exist.',
    })
  })

  it('uses the model status codes when asked', async () => {
    const emu = await start({ users: [user], clients, behaviour: { statusCodes: 'model' } })
    expect(
      (
        await call(emu, 'GetTokensFromRefreshToken', {
          ClientId: classic.clientId,
          RefreshToken: 'abc',
        })
      ).status,
    ).toBe(403)
    expect(
      (await call(emu, 'GetTokensFromRefreshToken', { ClientId: 'nope', RefreshToken: 'abc' }))
        .status,
    ).toBe(404)
    emu.faults.failNext({ kind: 'throttle' })
    const throttled = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: 'abc',
    })
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('1')
  })

  it('rejects an unknown target, a missing target, a wrong content type and malformed JSON', async () => {
    const emu = await start({ users: [user], clients })
    const unknown = await call(emu, 'SignUpEverybody', {})
    expect(unknown.status).toBe(400)
    expect(unknown.json.__type).toBe('UnknownOperationException')
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException:')

    const missing = await call(emu, 'InitiateAuth', {}, { 'x-amz-target': '' })
    expect(missing.status).toBe(400)
    expect(missing.json).toEqual({
      code: 'BadRequest',
      message: 'The server did not understand the operation that was requested.',
      type: 'client',
    })

    const wrongType = await call(
      emu,
      'InitiateAuth',
      { AuthFlow: 'USER_PASSWORD_AUTH' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    )
    expect(wrongType.status).toBe(400)
    expect(wrongType.text).toBe('{"__type":"SerializationException"}')
    expect(wrongType.headers.get('x-amzn-errortype')).toBe('SerializationException:')

    for (const body of ['{"ClientId":', 'not json', '[1,2]', 'null', '"text"']) {
      const malformed = await call(emu, 'GetTokensFromRefreshToken', body)
      expect(malformed.status, body).toBe(400)
      expect(malformed.json.__type, body).toBe('SerializationException')
    }
    const empty = await call(emu, 'GetTokensFromRefreshToken', '')
    expect(empty.json.__type).toBe('InvalidParameterException')
    expect(empty.json.message).toMatch(
      /^2 validation errors detected: Value null at 'refreshToken'.*; Value null at 'clientId'/,
    )
    expect(emu.stats().calls['(unknown)']?.UnknownOperationException).toBe(1)
  })

  it('rejects wrong JSON types with SerializationException and validates constraints', async () => {
    const emu = await start({ users: [user], clients })
    const cases: Array<[unknown, string, RegExp]> = [
      [
        { ClientId: 123, RefreshToken: 'abc' },
        'SerializationException',
        /TruncatingBigNumber can not be converted to an String/,
      ],
      [
        { ClientId: true, RefreshToken: 'abc' },
        'SerializationException',
        /Boolean can not be converted/,
      ],
      [
        { ClientId: { a: 1 }, RefreshToken: 'abc' },
        'SerializationException',
        /Start of structure or map found where not expected/,
      ],
      [{ ClientId: ['a'], RefreshToken: 'abc' }, 'SerializationException', /Start of list/],
      [
        { ClientId: classic.clientId, RefreshToken: 'abc', ClientMetadata: 'x' },
        'SerializationException',
        /map/,
      ],
      [
        { ClientId: classic.clientId, RefreshToken: 'abc', ClientMetadata: { a: 1 } },
        'SerializationException',
        /TruncatingBigNumber/,
      ],
      [
        { ClientId: '', RefreshToken: 'abc' },
        'InvalidParameterException',
        /^2 validation errors detected: Value '' at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1; /,
      ],
      [
        { ClientId: 'x'.repeat(129), RefreshToken: 'abc' },
        'InvalidParameterException',
        /Member must have length less than or equal to 128/,
      ],
      [
        { ClientId: classic.clientId, RefreshToken: 'has space' },
        'InvalidParameterException',
        /^1 validation error detected: Value at 'refreshToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \[A-Za-z0-9-_=.\]\+$/,
      ],
      [
        { ClientId: classic.clientId, RefreshToken: 'abc', ClientSecret: 'short' },
        'InvalidParameterException',
        /Value at 'clientSecret'.*greater than or equal to 24/,
      ],
      [
        { ClientId: classic.clientId, RefreshToken: 'abc', DeviceKey: 'not-a-device' },
        'InvalidParameterException',
        /Value 'not-a-device' at 'deviceKey'.*\[\\w-\]\+_\[0-9a-f-\]\+/,
      ],
    ]
    for (const [body, type, message] of cases) {
      const reply = await call(emu, 'GetTokensFromRefreshToken', body)
      expect(reply.status, JSON.stringify(body)).toBe(400)
      expect(reply.json.__type, JSON.stringify(body)).toBe(type)
      expect(String(reply.json.message), JSON.stringify(body)).toMatch(message)
    }
    const badFlow = await call(emu, 'InitiateAuth', {
      AuthFlow: 'MAGIC',
      ClientId: classic.clientId,
    })
    expect(badFlow.json.message).toMatch(
      /Value 'MAGIC' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: \[USER_SRP_AUTH, REFRESH_TOKEN_AUTH/,
    )
  })

  it('treats null members and null map values as absent', async () => {
    const emu = await start({ users: [user], clients })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    // amazon-cognito-identity-js sends DEVICE_KEY: null when it has no device key.
    const refresh = await call(emu, 'InitiateAuth', {
      ClientId: classic.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: session.RefreshToken, DEVICE_KEY: null, SECRET_HASH: null },
      ClientMetadata: null,
    })
    expect(refresh.status).toBe(200)
    const viaGet = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: session.RefreshToken,
      ClientSecret: null,
      DeviceKey: null,
      ClientMetadata: { a: null, b: 'x' },
    })
    expect(viaGet.status).toBe(200)
    const missingToken = await call(emu, 'InitiateAuth', {
      ClientId: classic.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: null },
    })
    expect(missingToken.json).toEqual({
      __type: 'InvalidParameterException',
      message: 'Missing required parameter REFRESH_TOKEN',
    })
  })
})
