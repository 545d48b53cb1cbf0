/**
 * `POST /oauth2/token` with `grant_type=refresh_token` (returns `refresh_token` only on a
 * rotating client) or `authorization_code` (managed login's codes, login/codes.ts):
 * form-encoded, client authentication by Basic header or body, OAuth error JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { ResolvedClient } from './config'
import { type Context, findClient } from './context'
import { describe, isServiceError } from './errors'
import { type Body, dropConnection, header, note, send } from './http'
import { injectFault } from './injectFault'
import { issueTokens } from './issue'
import { redeemCode } from './login/codes'
import {
  checkReuse,
  commitRotation,
  lookUpRefreshToken,
  requireUser,
} from './operations/refreshCore'

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly status = 400,
    readonly retryAfterSeconds?: number,
  ) {
    super(error)
  }
}

const operation = 'oauth2/token'

export function sendOAuthError(res: ServerResponse, error: OAuthError): void {
  note(res, { outcome: error.error })
  const headers: Record<string, string> = {
    'Content-Type': 'application/json;charset=UTF-8',
    'Cache-Control': 'no-store',
  }
  if (error.retryAfterSeconds !== undefined)
    headers['Retry-After'] = String(error.retryAfterSeconds)
  send(res, error.status, headers, JSON.stringify({ error: error.error }))
}

interface ClientCredentials {
  clientId: string | undefined
  clientSecret: string | undefined
}

export function credentialsOf(req: IncomingMessage, form: URLSearchParams): ClientCredentials {
  const authorization = header(req, 'authorization')
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new OAuthError('invalid_client')
    // RFC 6749 §2.3.1: both halves are form-encoded before they are joined.
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '))
    try {
      return {
        clientId: decode(decoded.slice(0, colon)),
        clientSecret: decode(decoded.slice(colon + 1)),
      }
    } catch {
      throw new OAuthError('invalid_client')
    }
  }
  return {
    clientId: form.get('client_id') ?? undefined,
    clientSecret: form.get('client_secret') ?? undefined,
  }
}

export function authenticate(ctx: Context, credentials: ClientCredentials): ResolvedClient {
  const client =
    credentials.clientId === undefined ? undefined : findClient(ctx, credentials.clientId)
  if (client === undefined) throw new OAuthError('invalid_client')
  if (client.clientSecret !== undefined) {
    const given = Buffer.from(credentials.clientSecret ?? '')
    const expected = Buffer.from(client.clientSecret)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new OAuthError('invalid_client')
    }
  }
  return client
}

async function refresh(ctx: Context, req: IncomingMessage, body: Body) {
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(header(req, 'content-type') ?? '')) {
    throw new OAuthError('invalid_request')
  }
  const form = new URLSearchParams(body.data.toString('utf8'))
  const grantType = form.get('grant_type')
  if (grantType === null) throw new OAuthError('invalid_request')
  if (grantType === 'authorization_code') {
    if (form.get('code') === null) throw new OAuthError('invalid_request')
    return redeemCode(ctx, authenticate(ctx, credentialsOf(req, form)), form)
  }
  if (grantType !== 'refresh_token') throw new OAuthError('unsupported_grant_type')
  const token = form.get('refresh_token')
  if (token === null || token === '') throw new OAuthError('invalid_request')
  const client = authenticate(ctx, credentialsOf(req, form))
  try {
    const record = lookUpRefreshToken(ctx, client, token)
    const reuse = checkReuse(ctx, client, record)
    if (
      client.deviceTracking &&
      record.viaApi &&
      ctx.config.behaviour.oauthRefusesDeviceTrackedTokens
    ) {
      throw new OAuthError('invalid_grant')
    }
    const user = requireUser(ctx, record)
    const successor = client.rotation.enabled
      ? commitRotation(ctx, record, reuse, undefined)
      : undefined
    const tokens = await issueTokens(ctx, {
      client,
      user,
      originJti: record.originJti,
      authTime: record.authTime,
      scopes: record.scopes,
      deviceKey: record.deviceKey,
    })
    return {
      id_token: tokens.IdToken,
      access_token: tokens.AccessToken,
      ...(successor !== undefined && { refresh_token: successor.token }),
      expires_in: tokens.ExpiresIn,
      token_type: 'Bearer',
    }
  } catch (error) {
    // Every verdict on the token itself is invalid_grant at this endpoint.
    if (isServiceError(error)) throw new OAuthError('invalid_grant')
    throw error
  }
}

export async function handleOAuthToken(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  body: Body,
): Promise<void> {
  const form = new URLSearchParams(body.tooLarge ? '' : body.data.toString('utf8'))
  const token = form.get('refresh_token') ?? undefined
  const outcome = await answer(ctx, req, res, body)
  ctx.stats.count(operation, outcome.outcome)
  // A code redemption starts a session; the refresh log is for refreshes.
  if (form.get('grant_type') === 'authorization_code') return
  ctx.stats.logRefresh({
    operation,
    clientId: form.get('client_id') ?? undefined,
    originJti: token === undefined ? undefined : ctx.store.tokens.get(token)?.originJti,
    outcome: outcome.outcome,
    rotated: outcome.rotated,
  })
}

async function answer(ctx: Context, req: IncomingMessage, res: ServerResponse, body: Body) {
  if (req.method !== 'POST') {
    sendOAuthError(res, new OAuthError('invalid_request', 405))
    return { outcome: 'invalid_request', rotated: false }
  }
  if (body.tooLarge) {
    sendOAuthError(res, new OAuthError('invalid_request', 413))
    return { outcome: 'invalid_request', rotated: false }
  }
  const injected = await injectFault(ctx, operation, req, res)
  if (injected.type === 'handled') return { outcome: injected.outcome, rotated: false }
  if (injected.type === 'error') {
    const { code, retryAfterSeconds } = injected.error
    // [infer] The token endpoint's throttling and fault replies are undocumented; use HTTP's own.
    const oauth =
      code === 'TooManyRequestsException'
        ? new OAuthError('too_many_requests', 429, retryAfterSeconds)
        : code === 'NotAuthorizedException'
          ? new OAuthError('invalid_grant')
          : new OAuthError('server_error', 500)
    sendOAuthError(res, oauth)
    return { outcome: code, rotated: false }
  }
  if (injected.type === 'lostReply') {
    // The refresh takes effect (a rotation is committed), then the reply never arrives.
    const reply = await refresh(ctx, req, body).catch(() => undefined)
    note(res, { outcome: 'lostReply' })
    dropConnection(req, res)
    return { outcome: 'lostReply', rotated: reply?.refresh_token !== undefined }
  }
  try {
    const reply = await refresh(ctx, req, body)
    send(
      res,
      200,
      { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store' },
      JSON.stringify(reply),
    )
    return { outcome: 'ok', rotated: reply.refresh_token !== undefined }
  } catch (error) {
    const oauth = error instanceof OAuthError ? error : new OAuthError('server_error', 500)
    if (!(error instanceof OAuthError))
      ctx.log?.(`server_error at /oauth2/token: ${describe(error)}`)
    sendOAuthError(res, oauth)
    return { outcome: oauth.error, rotated: false }
  }
}
