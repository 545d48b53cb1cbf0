/** `/<poolId>/.well-known/jwks.json` and `openid-configuration`, as the real issuer serves them. */
import type { ServerResponse } from 'node:http'
import { type Context, issuerOf } from './context'
import { send } from './http'
import { jwksOf } from './tokens'

function sendJson(res: ServerResponse, body: unknown): void {
  send(res, 200, { 'Content-Type': 'application/json;charset=UTF-8' }, JSON.stringify(body))
}

export function serveJwks(ctx: Context, res: ServerResponse): void {
  sendJson(res, jwksOf(ctx.keys))
}

/**
 * The authorize, token and logout endpoints and the JWKS are served; userInfo is listed for
 * shape. [infer] `code_challenge_methods_supported` is not in Cognito's document; the emulator
 * lists the one method it takes.
 */
export function serveOpenIdConfiguration(ctx: Context, res: ServerResponse): void {
  const issuer = issuerOf(ctx)
  sendJson(res, {
    authorization_endpoint: `${ctx.baseUrl}/oauth2/authorize`,
    code_challenge_methods_supported: ['S256'],
    end_session_endpoint: `${ctx.baseUrl}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${ctx.baseUrl}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${ctx.baseUrl}/oauth2/userInfo`,
  })
}
