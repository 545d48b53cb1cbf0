/**
 * `GET /api/profile`: a protected API the way an app's backend would write it, verifying the
 * access token with aws-jwt-verify against the emulator's JWKS (fetched over HTTP once, then
 * cached by the verifier). It counts requests by outcome so tests can see what a client sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { JwtVerifier } from 'aws-jwt-verify'
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier'
import { JwtExpiredError } from 'aws-jwt-verify/error'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'
import { type Context, issuerOf } from './context'
import { header, send } from './http'
import type { DemoApiOutcome } from './stats'

/** aws-jwt-verify's own fetcher speaks HTTPS only; the emulator is plain HTTP. */
const httpFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri)
    if (!response.ok) throw new Error(`JWKS fetch failed with HTTP ${response.status}`)
    return response.arrayBuffer()
  },
}

function createVerifier(ctx: Context) {
  const issuer = issuerOf(ctx)
  const clientIds = ctx.config.clients.map((client) => client.clientId)
  return JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) =>
        validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: clientIds }),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
  )
}

type Verifier = ReturnType<typeof createVerifier>

export function createDemoApi(ctx: Context) {
  let verifier: Verifier | undefined
  const reply = (
    res: ServerResponse,
    outcome: DemoApiOutcome,
    status: number,
    body: unknown,
    extra = {},
  ) => {
    ctx.stats.demo(outcome)
    send(
      res,
      status,
      { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
      JSON.stringify(body),
    )
  }
  return async function demoApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') {
      send(
        res,
        405,
        { Allow: 'GET, OPTIONS', 'Content-Type': 'application/json' },
        '{"message":"Method not allowed"}',
      )
      return
    }
    const match = /^Bearer\s+(.*)$/i.exec(header(req, 'authorization') ?? '')
    if (match === null) {
      return reply(
        res,
        'missing',
        401,
        { message: 'Missing bearer token' },
        { 'WWW-Authenticate': 'Bearer realm="emulator"' },
      )
    }
    verifier ??= createVerifier(ctx)
    try {
      const claims = await verifier.verify(match[1]?.trim() ?? '')
      reply(res, 'ok', 200, {
        username: claims.username,
        sub: claims.sub,
        clientId: claims.client_id,
        scope: claims.scope,
        authTime: claims.auth_time,
        expiresAt: claims.exp,
      })
    } catch (error) {
      const expired = error instanceof JwtExpiredError
      const description = expired ? 'The access token expired' : 'The access token is invalid'
      reply(
        res,
        expired ? 'expired' : 'invalid',
        401,
        { message: description },
        {
          'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
        },
      )
    }
  }
}
