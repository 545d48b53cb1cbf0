/**
 * `GET /oauth2/authorize` and `GET|POST /login`: managed login's sign-in. The authorize endpoint
 * checks the request, answers at once from a live session cookie (or with `login_required` for
 * `prompt=none` without one), and otherwise redirects to `/login` with the same query, which
 * shows the form. The form's POST checks the password against the emulator's users, starts the
 * session and redirects to `redirect_uri?code=…&state=…`.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { type Context, now } from '../context'
import type { Body } from '../http'
import type { UserRecord } from '../store'
import {
  cookiesOf,
  csrfCookie,
  page,
  redirect,
  type Reply,
  sessionCookie,
  setCookie,
  withQuery,
} from './browser'
import { issueCode } from './codes'
import { errorPage, signInPage } from './pages'
import { type AuthorizeRequest, parseAuthorize } from './request'

const token = () => randomBytes(32).toString('base64url')

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://emulator')
}

const methodNotAllowed = () => page(405, errorPage('invalid_request'), 'invalid_request')

/** The signed-in user of a live session cookie, if any. */
function sessionUser(ctx: Context, req: IncomingMessage) {
  const id = cookiesOf(req).get(sessionCookie)
  const session = id === undefined ? undefined : ctx.store.login.sessions.get(id)
  if (session === undefined || now(ctx) >= session.expiresAt) return undefined
  const user = ctx.store.users.get(session.username)
  return user === undefined || !user.enabled ? undefined : { user, authTime: session.authTime }
}

function codeRedirect(ctx: Context, request: AuthorizeRequest, user: UserRecord, authTime: number) {
  const code = issueCode(ctx, request, user.username, authTime)
  return redirect(withQuery(request.redirectUri, { code, state: request.state }), 'ok')
}

/** A session or `prompt=none` settles the request without the form; undefined shows it. */
function withoutForm(ctx: Context, req: IncomingMessage, request: AuthorizeRequest) {
  const session = request.prompt.has('login') ? undefined : sessionUser(ctx, req)
  if (session !== undefined) return codeRedirect(ctx, request, session.user, session.authTime)
  if (request.prompt.has('none')) {
    const location = withQuery(request.redirectUri, {
      error: 'login_required',
      state: request.state,
    })
    return redirect(location, 'login_required')
  }
  return undefined
}

export function authorize(ctx: Context, req: IncomingMessage): Promise<Reply> {
  if (req.method !== 'GET') return Promise.resolve(methodNotAllowed())
  const parsed = parseAuthorize(ctx, requestUrl(req))
  if (!parsed.ok) return Promise.resolve(parsed.reply)
  const reply =
    withoutForm(ctx, req, parsed.request) ??
    redirect(`${ctx.baseUrl}/login${parsed.request.search}`, 'ok')
  return Promise.resolve(reply)
}

function formPage(
  request: AuthorizeRequest,
  username: string,
  error: string | undefined,
  status = 200,
): Reply {
  const csrf = token()
  const reply = page(
    status,
    signInPage({
      clientName: request.client.clientName,
      action: `/login${request.search}`,
      csrf,
      username,
      error,
      cancelUrl: withQuery(request.redirectUri, { error: 'access_denied', state: request.state }),
      lang: request.lang,
    }),
    error === undefined ? 'ok' : 'NotAuthorizedException',
  )
  setCookie(reply, csrfCookie, csrf, 3600)
  return reply
}

/** Pools created today hide whether a user exists, at the form as in the API. */
function checkPassword(ctx: Context, username: string, password: string) {
  const user = ctx.store.findUser(username)
  if (user === undefined || user.password !== password) {
    return { error: 'Incorrect username or password.' } as const
  }
  if (!user.enabled) return { error: 'User is disabled.' } as const
  if (!user.confirmed) return { error: 'User is not confirmed.' } as const
  return { user } as const
}

export function login(ctx: Context, req: IncomingMessage, body: Body): Promise<Reply> {
  if (req.method !== 'GET' && req.method !== 'POST') return Promise.resolve(methodNotAllowed())
  const parsed = parseAuthorize(ctx, requestUrl(req))
  if (!parsed.ok) return Promise.resolve(parsed.reply)
  const request = parsed.request
  if (req.method === 'GET') {
    return Promise.resolve(
      withoutForm(ctx, req, request) ?? formPage(request, request.loginHint ?? '', undefined),
    )
  }
  const form = new URLSearchParams(body.tooLarge ? '' : body.data.toString('utf8'))
  const username = form.get('username') ?? ''
  const csrf = form.get('_csrf')
  // Double submit: the form's token must equal the cookie set with the form.
  if (csrf === null || csrf === '' || cookiesOf(req).get(csrfCookie) !== csrf) {
    const reply = formPage(request, username, 'Your sign-in page expired. Please try again.', 403)
    reply.outcome = 'invalid_csrf'
    return Promise.resolve(reply)
  }
  const checked = checkPassword(ctx, username, form.get('password') ?? '')
  if ('error' in checked) return Promise.resolve(formPage(request, username, checked.error))
  const authTime = Math.floor(now(ctx) / 1000)
  const id = token()
  const seconds = ctx.config.managedLogin.sessionValiditySeconds
  ctx.store.login.sessions.set(id, {
    username: checked.user.username,
    authTime,
    expiresAt: now(ctx) + seconds * 1000,
  })
  const reply = codeRedirect(ctx, request, checked.user, authTime)
  setCookie(reply, sessionCookie, id, seconds)
  return Promise.resolve(reply)
}
