/** JWKS, openid-configuration and CORS: what a browser page and a backend verifier fetch. */
import { importJWK, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { call, classic, decode, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

describe('discovery documents', () => {
  it('serves a JWKS whose keys verify the ID and access tokens', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const response = await fetch(emu.jwksUri)
    expect(response.status).toBe(200)
    const jwks = (await response.json()) as { keys: Array<Record<string, string>> }
    expect(jwks.keys).toHaveLength(2)
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
      expect(key).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig' })
    }
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    for (const jwt of [session.AccessToken, session.IdToken]) {
      const kid = decode(jwt).header.kid
      const jwk = jwks.keys.find((key) => key.kid === kid)
      expect(jwk).toBeDefined()
      const { payload } = await jwtVerify(jwt, await importJWK(jwk ?? {}, 'RS256'), {
        issuer: emu.issuer,
      })
      expect(payload.sub).toBeDefined()
    }
    // The other key does not verify: the two tokens really use different keys.
    const wrong = jwks.keys.find((key) => key.kid !== decode(session.AccessToken).header.kid)
    await expect(
      jwtVerify(session.AccessToken, await importJWK(wrong ?? {}, 'RS256')),
    ).rejects.toThrow()
  })

  it('serves openid-configuration for the issuer', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const response = await fetch(`${emu.issuer}/.well-known/openid-configuration`)
    const config = (await response.json()) as Record<string, unknown>
    expect(config).toMatchObject({
      issuer: emu.issuer,
      jwks_uri: emu.jwksUri,
      token_endpoint: emu.tokenEndpoint,
      id_token_signing_alg_values_supported: ['RS256'],
    })
    expect((await fetch(`${emu.url}/us-east-1_other/.well-known/jwks.json`)).status).toBe(404)
  })
})

describe('CORS', () => {
  it('answers the SDK preflight and echoes the requested headers', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const requested =
      'content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,cache-control'
    const response = await fetch(`${emu.url}/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': requested,
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-allow-headers')).toBe(requested)
  })

  it('puts CORS headers on successes, errors, the token endpoint and the demo API', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const error = await call(
      emu,
      'GetTokensFromRefreshToken',
      { ClientId: classic.clientId, RefreshToken: 'abc' },
      { origin: 'http://localhost:5173' },
    )
    expect(error.status).toBe(400)
    expect(error.headers.get('access-control-allow-origin')).toBe('*')
    expect(error.headers.get('access-control-expose-headers')).toMatch(
      /x-amzn-ErrorType.*x-amzn-ErrorMessage/,
    )
    const preflight = await fetch(emu.demoApiUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization')
    const api = await fetch(emu.demoApiUrl)
    expect(api.headers.get('access-control-allow-origin')).toBe('*')
    expect(api.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate')
    const oauth = await fetch(emu.tokenEndpoint, { method: 'POST' })
    expect(oauth.headers.get('access-control-allow-origin')).toBe('*')
    const jwks = await fetch(emu.jwksUri)
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*')
  })
})
