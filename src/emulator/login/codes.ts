/**
 * One-time authorization codes: issued after a managed-login sign-in, redeemed at
 * `/oauth2/token` with `grant_type=authorization_code`. A code is bound to its client, its
 * `redirect_uri` and its PKCE challenge, lives `managedLogin.codeValiditySeconds` on the
 * emulator clock, and is spent by the first redemption, whether that succeeds or not.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import type { ResolvedClient } from '../config'
import { type Context, now } from '../context'
import { issueTokens } from '../issue'
import { OAuthError } from '../oauth'
import type { AuthorizeRequest } from './request'

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const verifierPattern = /^[A-Za-z0-9._~-]{43,128}$/

/** Issues a code (a UUID, as Cognito's are) for a signed-in user. */
export function issueCode(
  ctx: Context,
  request: AuthorizeRequest,
  username: string,
  authTime: number,
): string {
  const at = now(ctx)
  ctx.store.login.sweep(at)
  const code = randomUUID()
  ctx.store.login.codes.set(code, {
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    username,
    scopes: request.scopes,
    nonce: request.nonce,
    authTime,
    expiresAt: at + ctx.config.managedLogin.codeValiditySeconds * 1000,
    redeemed: undefined,
  })
  return code
}

function s256(verifier: string): Buffer {
  return Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'))
}

/** Every verdict on the code is `invalid_grant`; the reply says nothing more. */
export async function redeemCode(ctx: Context, client: ResolvedClient, form: URLSearchParams) {
  if (!client.allowedOAuthFlows.includes('code')) throw new OAuthError('unauthorized_client')
  const code = form.get('code')
  const redirectUri = form.get('redirect_uri')
  if (code === null || code === '' || redirectUri === null) throw new OAuthError('invalid_request')
  const record = ctx.store.login.codes.get(code)
  // [infer] Another client's code is refused without spending it.
  if (record === undefined || record.clientId !== client.clientId) {
    throw new OAuthError('invalid_grant')
  }
  if (record.redeemed !== undefined) {
    const { originJti } = record.redeemed
    if (ctx.config.behaviour.codeReuseRevokesTokens && originJti !== undefined) {
      ctx.store.revokeFamily(originJti)
    }
    throw new OAuthError('invalid_grant')
  }
  // Spent before anything else is checked (and before any await): one redemption wins.
  const redeemed: { originJti: string | undefined } = { originJti: undefined }
  record.redeemed = redeemed
  const at = now(ctx)
  if (at >= record.expiresAt || redirectUri !== record.redirectUri) {
    throw new OAuthError('invalid_grant')
  }
  const verifier = form.get('code_verifier')
  if (record.codeChallenge === undefined) {
    // [infer] A verifier for a code that had no challenge is refused (a PKCE downgrade).
    if (verifier !== null) throw new OAuthError('invalid_grant')
  } else {
    const expected = Buffer.from(record.codeChallenge)
    const given = verifier !== null && verifierPattern.test(verifier) ? s256(verifier) : undefined
    if (
      given === undefined ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      throw new OAuthError('invalid_grant')
    }
  }
  const user = ctx.store.users.get(record.username)
  if (user === undefined || !user.enabled) throw new OAuthError('invalid_grant')
  const refresh = ctx.store.addRefreshToken({
    clientId: client.clientId,
    username: user.username,
    originJti: randomUUID(),
    authTime: record.authTime,
    issuedAt: at,
    expiresAt: at + client.refreshTokenValiditySeconds * 1000,
    viaApi: false,
    deviceKey: undefined,
    scopes: record.scopes,
  })
  redeemed.originJti = refresh.originJti
  const tokens = await issueTokens(ctx, {
    client,
    user,
    originJti: refresh.originJti,
    authTime: record.authTime,
    deviceKey: undefined,
    scopes: record.scopes,
    nonce: record.nonce,
  })
  return {
    // Cognito returns an ID token only for the openid scope.
    ...(record.scopes.includes('openid') && { id_token: tokens.IdToken }),
    access_token: tokens.AccessToken,
    refresh_token: refresh.token,
    expires_in: tokens.ExpiresIn,
    token_type: 'Bearer',
  }
}
