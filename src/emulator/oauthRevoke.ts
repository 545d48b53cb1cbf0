/**
 * `POST /oauth2/revoke`: revokes a refresh token (and its rotated family) from the user-pool
 * domain, the OAuth counterpart of RevokeToken. Form-encoded `token`, client authentication by
 * Basic header or `client_id` (+ `client_secret`) in the body; 200 with an empty body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from './context'
import { type Body, header, send } from './http'
import { authenticate, credentialsOf, OAuthError, sendOAuthError } from './oauth'

const operation = 'oauth2/revoke'

export function handleOAuthRevoke(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  body: Body,
): void {
  let outcome = 'ok'
  try {
    if (req.method !== 'POST') throw new OAuthError('invalid_request', 405)
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(header(req, 'content-type') ?? '')) {
      throw new OAuthError('invalid_request')
    }
    const form = new URLSearchParams(body.tooLarge ? '' : body.data.toString('utf8'))
    const token = form.get('token')
    if (token === null || token === '') throw new OAuthError('invalid_request')
    const client = authenticate(ctx, credentialsOf(req, form))
    if (!client.enableTokenRevocation) throw new OAuthError('unsupported_token_type')
    const record = ctx.store.tokens.get(token)
    // [infer] Another client's token: Cognito documents no error text; refuse as OAuth does.
    if (record !== undefined && record.clientId !== client.clientId) {
      throw new OAuthError('invalid_client', 401)
    }
    if (record !== undefined) ctx.store.revokeFamily(record.originJti)
    send(res, 200, { 'Cache-Control': 'no-store' }, '')
  } catch (error) {
    const oauth = error instanceof OAuthError ? error : new OAuthError('server_error', 500)
    outcome = oauth.error
    sendOAuthError(res, oauth)
  }
  ctx.stats.count(operation, outcome)
}
