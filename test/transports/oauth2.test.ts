import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuthError } from '../../src/core/errors'
import { oauth2Transport, oauthBaseUrl } from '../../src/core/transports/oauth2'
import { drop, raw, startScriptedServer } from '../helpers/scriptedServer'

// From the protocol reference §4. The token ends in `=` padding to check the form encoding.
const refreshToken =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.EXAMPLEKEY.EXAMPLEIV.EXAMPLE+CIPHER/TEXT.TAG=='
const rotationReply =
  '{"id_token":"eyJraWQiOiJkZWYiLCJhbGciOiJSUzI1NiJ9.ID.SIG","access_token":"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.ACCESS.SIG","refresh_token":"eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.NEWKEY.NEWIV.NEWCIPHERTEXT.NEWTAG","expires_in":3600,"token_type":"Bearer"}'
const json = { 'Content-Type': 'application/json;charset=UTF-8' }

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const signal = () => new AbortController().signal
const transport = (extra: Partial<Parameters<typeof oauth2Transport>[0]> = {}) =>
  oauth2Transport({ clientId: 'djc98u3jiedmi283eu928', domain: server.url, ...extra })
const failure = (t = transport()) =>
  t.refresh({ refreshToken }, { signal: signal() }).then(
    () => expect.unreachable('should have failed'),
    (e: unknown) => e as AuthError,
  )

describe('oauth2Transport: request', () => {
  it('POSTs the form of a public client to /oauth2/token, = as %3D', async () => {
    server.reply(raw(200, json, rotationReply))
    await transport().refresh({ refreshToken, deviceKey: 'ignored' }, { signal: signal() })
    const [request] = server.requests
    expect(request).toMatchObject({ method: 'POST', url: '/oauth2/token' })
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(request!.headers.authorization).toBeUndefined()
    expect(request!.body).toBe(
      'grant_type=refresh_token&client_id=djc98u3jiedmi283eu928&refresh_token=' +
        'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.EXAMPLEKEY.EXAMPLEIV.EXAMPLE%2BCIPHER%2FTEXT.TAG%3D%3D',
    )
    expect(new URLSearchParams(request!.body).get('refresh_token')).toBe(refreshToken)
  })

  it('authenticates a confidential client with the documented Basic header', async () => {
    server.reply(raw(200, json, rotationReply))
    await transport({ clientSecret: 'abcdef01234567890' }).refresh(
      { refreshToken },
      { signal: signal() },
    )
    const [request] = server.requests
    expect(request!.headers.authorization).toBe(
      'Basic ZGpjOTh1M2ppZWRtaTI4M2V1OTI4OmFiY2RlZjAxMjM0NTY3ODkw',
    )
    expect(new URLSearchParams(request!.body).has('client_secret')).toBe(false)
  })

  it('sends client_secret in the form with clientAuthentication: post', async () => {
    server.reply(raw(200, json, rotationReply))
    await transport({ clientSecret: 'abcdef01234567890', clientAuthentication: 'post' }).refresh(
      { refreshToken },
      { signal: signal() },
    )
    const form = new URLSearchParams(server.requests[0]!.body)
    expect(server.requests[0]!.headers.authorization).toBeUndefined()
    expect([...form.keys()]).toEqual(['grant_type', 'client_id', 'refresh_token', 'client_secret'])
    expect(form.get('client_secret')).toBe('abcdef01234567890')
  })

  it('builds the prefix domain, a custom domain, or refuses', () => {
    expect(oauthBaseUrl({ clientId: 'x', domainPrefix: 'my-app', region: 'eu-west-1' })).toBe(
      'https://my-app.auth.eu-west-1.amazoncognito.com',
    )
    expect(oauthBaseUrl({ clientId: 'x', domain: 'auth.example.com' })).toBe(
      'https://auth.example.com',
    )
    expect(oauthBaseUrl({ clientId: 'x', domain: 'http://127.0.0.1:9229/' })).toBe(
      'http://127.0.0.1:9229',
    )
    expect(() => oauth2Transport({ clientId: 'x' })).toThrow(
      expect.objectContaining({ code: 'ConfigurationError', kind: 'fatal' }),
    )
    expect(() =>
      oauthBaseUrl({ clientId: 'x', domainPrefix: 'Bad_Prefix', region: 'us-east-1' }),
    ).toThrow(/domainPrefix/)
    expect(() => oauthBaseUrl({ clientId: 'x', domain: 'ftp://auth.example.com' })).toThrow(/https/)
  })

  it('revokes through /oauth2/revoke with the token and client id', async () => {
    server.reply(raw(200, json, ''))
    await transport({ clientSecret: 'abcdef01234567890' }).revoke!(
      { refreshToken },
      { signal: signal() },
    )
    const [request] = server.requests
    expect(request!.url).toBe('/oauth2/revoke')
    expect(request!.headers.authorization).toMatch(/^Basic /)
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      token: refreshToken,
      client_id: 'djc98u3jiedmi283eu928',
    })
  })
})

describe('oauth2Transport: replies', () => {
  it('maps the OAuth reply, including a rotated refresh_token (278 bytes)', async () => {
    expect(Buffer.byteLength(rotationReply)).toBe(278)
    server.reply(raw(200, json, rotationReply))
    expect(await transport().refresh({ refreshToken }, { signal: signal() })).toEqual({
      AccessToken: 'eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.ACCESS.SIG',
      IdToken: 'eyJraWQiOiJkZWYiLCJhbGciOiJSUzI1NiJ9.ID.SIG',
      RefreshToken:
        'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.NEWKEY.NEWIV.NEWCIPHERTEXT.NEWTAG',
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    })
  })

  it('has no RefreshToken without rotation, so the client keeps its own', async () => {
    server.reply(
      raw(
        200,
        json,
        '{"id_token":"a.b.c","access_token":"d.e.f","token_type":"Bearer","expires_in":3600}',
      ),
    )
    const result = await transport().refresh({ refreshToken }, { signal: signal() })
    expect(result).not.toHaveProperty('RefreshToken')
  })

  it('ends the session on invalid_grant (the documented 25-byte body)', async () => {
    const body = '{"error":"invalid_grant"}'
    expect(Buffer.byteLength(body)).toBe(25)
    server.reply(raw(400, json, body))
    expect(await failure()).toMatchObject({ code: 'invalid_grant', kind: 'terminal', status: 400 })
  })

  it.each(['invalid_client', 'invalid_request', 'unauthorized_client', 'unsupported_grant_type'])(
    'treats %s as a configuration error (fatal)',
    async (code) => {
      server.reply(
        raw(code === 'invalid_client' ? 401 : 400, json, JSON.stringify({ error: code })),
      )
      expect(await failure()).toMatchObject({ code, kind: 'fatal' })
    },
  )

  it('retries 5xx, throttling (with Retry-After) and network failures', async () => {
    server.reply(
      raw(500, json, '{"error":"server_error"}'),
      raw(503, { 'Content-Type': 'text/html' }, '<html>busy</html>'),
      raw(429, { ...json, 'Retry-After': '3' }, '{"error":"too_many_requests"}'),
      drop,
    )
    expect(await failure()).toMatchObject({
      code: 'UnknownServiceError',
      serviceCode: 'server_error',
      kind: 'retryable',
    })
    expect(await failure()).toMatchObject({ code: 'HttpError', kind: 'retryable', status: 503 })
    expect(await failure()).toMatchObject({
      code: 'TooManyRequestsException',
      kind: 'retryable',
      retryAfterMs: 3000,
    })
    expect(await failure()).toMatchObject({ code: 'NetworkError', kind: 'retryable' })
  })

  it('keeps tokens and secrets out of error messages', async () => {
    server.reply(
      raw(
        400,
        json,
        JSON.stringify({
          error: 'invalid_grant',
          error_description: `bad ${refreshToken} for abcdef01234567890`,
        }),
      ),
    )
    const error = await failure(transport({ clientSecret: 'abcdef01234567890' }))
    expect(error.message).toContain('invalid_grant')
    expect(error.message).not.toContain('EXAMPLEKEY')
    expect(error.message).not.toContain('abcdef01234567890')
  })

  it('reports a 200 without access_token as InvalidResponse', async () => {
    server.reply(raw(200, json, '{"id_token":"a.b.c"}'))
    expect(await failure()).toMatchObject({ code: 'InvalidResponse', kind: 'retryable' })
  })
})
