/** How initiateAuthTransport settles a refused REFRESH_TOKEN_AUTH, on the wire. */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../../src/core/errors'
import { raw, startScriptedServer } from '../helpers/scriptedServer'

const refreshToken =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.EXAMPLEKEY.EXAMPLEIV.EXAMPLECIPHERTEXT.EXAMPLETAG'
const clientId = '1example23456789'
const clientSecret = 'abcdef0123456789abcdef0123'
const deviceKey = 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f'
const amzJson = { 'Content-Type': 'application/x-amz-json-1.1' }
const rotatedSuccess =
  '{"AuthenticationResult":{"AccessToken":"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.ACCESS.SIG","ExpiresIn":3600,"TokenType":"Bearer","RefreshToken":"eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.NEWKEY.NEWIV.NEWCIPHERTEXT.NEWTAG"}}'
const error = (type: string, message: string, status = 400) =>
  raw(status, amzJson, JSON.stringify({ __type: type, message }))
const refused = () => error('NotAuthorizedException', 'Invalid Refresh Token.')
const targets = () =>
  server.requests.map((r) => r.headers['x-amz-target']?.toString().split('.')[1])

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
  vi.resetModules() // a fresh warnOnce per test
})

async function transport() {
  const { initiateAuthTransport } = await import('../../src/core/transports/initiateAuth')
  const t = initiateAuthTransport({ clientId, clientSecret, endpoint: server.url })
  const request = { refreshToken, deviceKey, username: 'u', clientMetadata: { tenant: 'a' } }
  return () => t.refresh(request, { signal: new AbortController().signal })
}

describe('initiateAuthTransport: a refused REFRESH_TOKEN_AUTH', () => {
  it('asks GetTokensFromRefreshToken once with the same token, secret and device key', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    server.reply(refused(), raw(200, amzJson, rotatedSuccess), raw(200, amzJson, rotatedSuccess))
    const refresh = await transport()
    expect((await refresh()).RefreshToken).toContain('NEWCIPHERTEXT')
    await refresh()
    expect(targets()).toEqual([
      'InitiateAuth',
      'GetTokensFromRefreshToken',
      'GetTokensFromRefreshToken',
    ])
    expect(JSON.parse(server.requests[1]!.body)).toEqual({
      RefreshToken: refreshToken,
      ClientId: clientId,
      ClientSecret: clientSecret,
      DeviceKey: deviceKey,
      ClientMetadata: { tenant: 'a' },
    })
    expect(warn).toHaveBeenCalledTimes(1)
    const text = String(warn.mock.calls[0]![0])
    expect(text).toContain('cognitoTransport')
    for (const secret of ['EXAMPLECIPHERTEXT', 'NEWCIPHERTEXT', clientSecret]) {
      expect(text).not.toContain(secret)
    }
    warn.mockRestore()
  })

  it('warns nothing in a production build', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    server.reply(refused(), raw(200, amzJson, rotatedSuccess))
    await (
      await transport()
    )()
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
    vi.unstubAllEnvs()
  })

  it('retries a GetTokensFromRefreshToken that did not answer, from REFRESH_TOKEN_AUTH again', async () => {
    server.reply(refused(), error('InternalErrorException', 'down', 500))
    const refresh = await transport()
    const e = await refresh().then(
      () => expect.unreachable('should have failed'),
      (x: unknown) => x as AuthError,
    )
    expect(e).toMatchObject({ code: 'InternalErrorException', kind: 'retryable' })
    server.reply(raw(200, amzJson, rotatedSuccess))
    await refresh()
    expect(targets()).toEqual(['InitiateAuth', 'GetTokensFromRefreshToken', 'InitiateAuth'])
  })

  it('does not ask when the secret was refused: that is the configuration', async () => {
    server.reply(
      error('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`),
    )
    const e = await (
      await transport()
    )().then(
      () => expect.unreachable('should have failed'),
      (x: unknown) => x as AuthError,
    )
    expect(e).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expect(targets()).toEqual(['InitiateAuth'])
  })
})
