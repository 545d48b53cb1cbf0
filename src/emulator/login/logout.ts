/**
 * `GET /logout`: ends the managed-login session (the cookie and its server-side record; tokens
 * already issued stay valid, as in Cognito) and redirects either to `logout_uri`, which must be
 * one of the client's sign-out URLs, or, with `redirect_uri` and `response_type`, to `/login`
 * to sign in again.
 */
import type { IncomingMessage } from 'node:http'
import { type Context, findClient } from '../context'
import { cookiesOf, page, redirect, type Reply, sessionCookie, setCookie } from './browser'
import { errorPage } from './pages'
import { parseAuthorize } from './request'

function endSession(ctx: Context, req: IncomingMessage, reply: Reply): Reply {
  const id = cookiesOf(req).get(sessionCookie)
  if (id !== undefined) ctx.store.login.sessions.delete(id)
  setCookie(reply, sessionCookie, '', 0)
  return reply
}

export function logout(ctx: Context, req: IncomingMessage): Promise<Reply> {
  return Promise.resolve(answer(ctx, req))
}

function answer(ctx: Context, req: IncomingMessage): Reply {
  if (req.method !== 'GET') return page(405, errorPage('invalid_request'), 'invalid_request')
  const url = new URL(req.url ?? '/', 'http://emulator')
  const params = url.searchParams
  const clientId = params.get('client_id')
  const client = clientId === null ? undefined : findClient(ctx, clientId)
  if (client === undefined) return page(400, errorPage('invalid_client'), 'invalid_client')
  const logoutUri = params.get('logout_uri')
  if (logoutUri !== null) {
    if (!client.logoutURLs.includes(logoutUri)) {
      const detail = 'The logout_uri is not one of the app client\u2019s sign-out URLs.'
      return page(400, errorPage('redirect_mismatch', detail), 'redirect_mismatch')
    }
    return endSession(ctx, req, redirect(logoutUri, 'ok'))
  }
  if (params.get('redirect_uri') === null) {
    return page(400, errorPage('invalid_request'), 'invalid_request')
  }
  // The sign-in-again form: checked as an authorize request, then on to the form.
  const parsed = parseAuthorize(ctx, url)
  if (!parsed.ok) return parsed.reply
  return endSession(ctx, req, redirect(`${ctx.baseUrl}/login${url.search}`, 'ok'))
}
