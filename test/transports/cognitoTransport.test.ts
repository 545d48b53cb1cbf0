import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { classify, cognitoErrorCodes, type AuthError } from '../../src/core/errors'
import { cognitoEndpoint } from '../../src/core/transports/awsJson'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { drop, raw, startScriptedServer } from '../helpers/scriptedServer'

// Byte sequences from the protocol reference (§1.3, §2.8).
const exampleRefreshToken =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.EXAMPLEKEY.EXAMPLEIV.EXAMPLECIPHERTEXT.EXAMPLETAG'
const exampleRequestBody = `{"RefreshToken":"${exampleRefreshToken}","ClientId":"1example23456789"}`
const exampleSuccess =
  '{"AuthenticationResult":{"AccessToken":"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.ACCESS.SIG","ExpiresIn":3600,"TokenType":"Bearer","RefreshToken":"eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.NEWKEY.NEWIV.NEWCIPHERTEXT.NEWTAG","IdToken":"eyJraWQiOiJkZWYiLCJhbGciOiJSUzI1NiJ9.ID.SIG"}}'
const amzJson = { 'Content-Type': 'application/x-amz-json-1.1' }
const errorHeaders = (type: string, message: string) => ({
  ...amzJson,
  'x-amzn-RequestId': '5090ed1c-b098-47e5-8397-e2f3ef4b41d5',
  'x-amzn-ErrorType': `${type}:`,
  'x-amzn-ErrorMessage': message,
})

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const signal = () => new AbortController().signal
const transport = (extra: Partial<Parameters<typeof cognitoTransport>[0]> = {}) =>
  cognitoTransport({ clientId: '1example23456789', endpoint: server.url, ...extra })
const refresh = (t = transport(), token = exampleRefreshToken) =>
  t.refresh({ refreshToken: token }, { signal: signal() })
const failure = (t = transport(), token = exampleRefreshToken) =>
  refresh(t, token).then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('cognitoTransport: request', () => {
  it('POSTs the exact awsJson1_1 request the SDK sends', async () => {
    server.reply(raw(200, amzJson, exampleSuccess))
    await refresh()
    const [request] = server.requests
    expect(request).toMatchObject({ method: 'POST', url: '/' })
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(request!.headers['x-amz-target']).toBe(
      'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
    )
    expect(request!.headers.authorization).toBeUndefined()
    expect(request!.body).toBe(exampleRequestBody)
    expect(request!.headers['content-length']).toBe('161')
  })

  it('sends all five members, in the SDK order, when given', async () => {
    server.reply(raw(200, amzJson, exampleSuccess))
    const t = transport({ clientSecret: 'abcdef0123456789abcdef0123' })
    await t.refresh(
      {
        refreshToken: exampleRefreshToken,
        deviceKey: 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
        clientMetadata: { tenant: 'a' },
      },
      { signal: signal() },
    )
    expect(Object.keys(JSON.parse(server.requests[0]!.body))).toEqual([
      'RefreshToken',
      'ClientId',
      'ClientSecret',
      'DeviceKey',
      'ClientMetadata',
    ])
  })

  it('builds the regional endpoint, or refuses a missing region', () => {
    expect(cognitoEndpoint({ region: 'eu-west-1' })).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/',
    )
    expect(() => cognitoEndpoint({})).toThrow(
      expect.objectContaining({ code: 'ConfigurationError' }),
    )
    expect(() => cognitoEndpoint({ region: 'evil.com/x' })).toThrow(/region/)
  })

  it('revokes with RevokeToken', async () => {
    server.reply(raw(200, amzJson, '{}'))
    await transport().revoke!({ refreshToken: exampleRefreshToken }, { signal: signal() })
    expect(server.requests[0]!.headers['x-amz-target']).toBe(
      'AWSCognitoIdentityProviderService.RevokeToken',
    )
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      Token: exampleRefreshToken,
      ClientId: '1example23456789',
    })
  })
})

describe('cognitoTransport: replies', () => {
  it('returns the whole AuthenticationResult, including a rotated RefreshToken', async () => {
    server.reply(
      raw(
        200,
        { ...amzJson, 'x-amzn-RequestId': '11111111-2222-3333-4444-555555555555' },
        exampleSuccess,
      ),
    )
    expect(await refresh()).toEqual(JSON.parse(exampleSuccess).AuthenticationResult)
  })

  it('decodes the real NotAuthorizedException capture (70-byte body)', async () => {
    const body = '{"__type":"NotAuthorizedException","message":"Invalid Refresh Token."}'
    expect(Buffer.byteLength(body)).toBe(70)
    server.reply(raw(400, errorHeaders('NotAuthorizedException', 'Invalid Refresh Token.'), body))
    const error = await failure()
    expect(error).toMatchObject({
      name: 'AuthError',
      code: 'NotAuthorizedException',
      kind: 'terminal',
      status: 400,
      requestId: '5090ed1c-b098-47e5-8397-e2f3ef4b41d5',
      message: 'NotAuthorizedException: Invalid Refresh Token.',
    })
  })

  it.each(cognitoErrorCodes.slice(0, 12))(
    'maps %s to its own code and classification',
    async (type) => {
      const status = type === 'InternalErrorException' ? 500 : 400
      server.reply(
        raw(status, errorHeaders(type, 'msg'), JSON.stringify({ __type: type, message: 'msg' })),
      )
      const error = await failure()
      expect(error.code).toBe(type)
      expect(error.kind).toBe(classify(type))
    },
  )

  it('classifies terminal, reuse and retryable errors as the design says', () => {
    expect(classify('NotAuthorizedException')).toBe('terminal')
    expect(classify('UserNotFoundException')).toBe('terminal')
    expect(classify('RefreshTokenReuseException')).toBe('reuse')
    expect(classify('TooManyRequestsException')).toBe('retryable')
    expect(classify('InternalErrorException')).toBe('retryable')
    expect(classify('InvalidParameterException')).toBe('fatal')
    expect(classify('ResourceNotFoundException')).toBe('fatal')
    expect(classify('ForbiddenException')).toBe('fatal')
    expect(classify('UnexpectedLambdaException')).toBe('fatal')
  })

  it('reads the code from a namespaced __type, a lower-case code, or the header alone', async () => {
    server.reply(
      raw(
        400,
        amzJson,
        '{"__type":"com.amazonaws.cognito.identity.idp.model#RefreshTokenReuseException","message":"x"}',
      ),
      raw(400, amzJson, '{"code":"UserNotFoundException","Message":"gone"}'),
      raw(
        400,
        {
          'x-amzn-ErrorType':
            'TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/',
        },
        '',
      ),
    )
    expect((await failure()).code).toBe('RefreshTokenReuseException')
    expect(await failure()).toMatchObject({
      code: 'UserNotFoundException',
      message: 'UserNotFoundException: gone',
    })
    expect((await failure()).code).toBe('TooManyRequestsException')
  })

  it('honours Retry-After on throttling', async () => {
    server.reply(
      raw(
        400,
        { ...errorHeaders('TooManyRequestsException', 'Rate exceeded'), 'Retry-After': '7' },
        '{"__type":"TooManyRequestsException","message":"Rate exceeded"}',
      ),
    )
    expect(await failure()).toMatchObject({
      code: 'TooManyRequestsException',
      kind: 'retryable',
      retryAfterMs: 7000,
    })
  })

  it('reports an unknown error type by name without ending the session', async () => {
    server.reply(raw(400, amzJson, '{"__type":"BrandNewException","message":"new"}'))
    server.reply(raw(503, amzJson, '{"__type":"BrandNewException","message":"new"}'))
    expect(await failure()).toMatchObject({
      code: 'UnknownServiceError',
      serviceCode: 'BrandNewException',
      kind: 'fatal',
    })
    expect(await failure()).toMatchObject({ code: 'UnknownServiceError', kind: 'retryable' })
  })

  it('turns a proxy HTML page into a typed HttpError, retryable on 5xx', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    server.reply(raw(502, { 'Content-Type': 'text/html' }, html))
    server.reply(raw(403, { 'Content-Type': 'text/html' }, '<html>blocked</html>'))
    const bad = await failure()
    expect(bad).toMatchObject({ code: 'HttpError', kind: 'retryable', status: 502 })
    expect(bad.message).not.toContain('<html')
    expect(await failure()).toMatchObject({ code: 'HttpError', kind: 'fatal', status: 403 })
  })

  it('turns unusable 2xx bodies into InvalidResponse', async () => {
    server.reply(
      raw(200, { 'Content-Type': 'text/html' }, '<html>captive portal</html>'),
      raw(200, amzJson, '{"AuthenticationResult":{"AccessToken":"eyJ'),
      raw(200, amzJson, '{"ChallengeParameters":{}}'),
      raw(200, amzJson, '[]'),
    )
    for (let i = 0; i < 4; i++)
      expect(await failure()).toMatchObject({ code: 'InvalidResponse', kind: 'retryable' })
  })

  it('turns a dropped connection into a NetworkError', async () => {
    server.reply(drop)
    expect(await failure()).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
  })

  it('times out and honours the caller’s AbortSignal', async () => {
    server.reply(() => undefined) // never answers
    expect(await failure(transport({ timeoutMs: 50 }))).toMatchObject({
      code: 'TimeoutError',
      kind: 'retryable',
    })
    server.reply(() => undefined)
    const controller = new AbortController()
    const pending = transport().refresh(
      { refreshToken: exampleRefreshToken },
      { signal: controller.signal },
    )
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toMatchObject({ code: 'AbortError' })
  })

  it('uses an injected fetch', async () => {
    const fetch = vi.fn(async () => new Response(exampleSuccess, { status: 200 }))
    await transport({ fetch, endpoint: 'http://example.invalid/' }).refresh(
      { refreshToken: exampleRefreshToken },
      { signal: signal() },
    )
    expect(fetch).toHaveBeenCalledOnce()
  })
})

describe('cognitoTransport: no token material in errors', () => {
  const secret = 'abcdef0123456789abcdef0123'
  it('scrubs tokens and the secret that a server echoes back', async () => {
    const echoed = `Invalid token ${exampleRefreshToken} for secret ${secret}`
    server.reply(
      raw(
        400,
        errorHeaders('NotAuthorizedException', 'x'),
        JSON.stringify({ __type: 'NotAuthorizedException', message: echoed }),
      ),
    )
    server.reply(raw(400, { 'x-amzn-ErrorType': `${exampleRefreshToken}:` }, ''))
    for (let i = 0; i < 2; i++) {
      const error = await failure(transport({ clientSecret: secret }))
      const serialized = [
        error.message,
        JSON.stringify(error),
        String(error),
        error.stack ?? '',
      ].join('\n')
      expect(serialized).not.toContain(exampleRefreshToken)
      expect(serialized).not.toContain('EXAMPLECIPHERTEXT')
      expect(serialized).not.toContain(secret)
    }
  })

  it('warns once about a client secret in a browser build', () => {
    vi.stubGlobal('window', {})
    vi.stubGlobal('document', {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      transport({ clientSecret: secret })
      transport({ clientSecret: secret })
      expect(warn).toHaveBeenCalledOnce()
      expect(String(warn.mock.calls[0]![0])).toMatch(/^\[react-cognito-refresh\] A client secret/)
      expect(String(warn.mock.calls[0]![0])).not.toContain(secret)
    } finally {
      warn.mockRestore()
      vi.unstubAllGlobals()
    }
  })
})
