/**
 * The HTTP server: Cognito's CORS on the Cognito routes, guarded control routes, bounded bodies
 * and connection deadlines, routing, and one log line per request. A handler's own failure
 * becomes an InternalErrorException reply; nothing a client sends can take the process down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { handleAwsJson } from './awsJson'
import type { Context } from './context'
import { handleControl, describePool } from './control'
import { answerPreflight, applyCors } from './cors'
import { createDemoApi } from './demoApi'
import { describe } from './errors'
import { answerControlPreflight, guardControl, refuse } from './guard'
import { noteOf, readBody, send } from './http'
import { authorize, login } from './login/authorize'
import { serveBrowser } from './login/browser'
import { logout } from './login/logout'
import { handleOAuthToken } from './oauth'
import { handleOAuthRevoke } from './oauthRevoke'
import { serveJwks, serveOpenIdConfiguration } from './wellKnown'

function notFound(res: ServerResponse): void {
  send(res, 404, { 'Content-Type': 'application/json' }, '{"message":"Not found"}')
}

/**
 * One line per request once it is over: method, path (never the query), the operation, the
 * status (or `no reply`), the outcome and the time taken. Tokens live in bodies and headers,
 * which are never logged.
 */
function logWhenDone(log: (line: string) => void, req: IncomingMessage, res: ServerResponse) {
  const started = performance.now()
  res.once('close', () => {
    const { operation, outcome } = noteOf(res)
    const path = new URL(req.url ?? '/', 'http://emulator').pathname
    const parts = [req.method ?? 'GET', path]
    if (operation !== undefined) parts.push(operation)
    parts.push(res.headersSent ? String(res.statusCode) : 'no reply')
    if (outcome !== undefined) parts.push(outcome)
    parts.push(`${Math.round(performance.now() - started)} ms`)
    log(parts.join(' '))
  })
}

export function createEmulatorServer(ctx: Context): Server {
  const demoApi = createDemoApi(ctx)
  const wellKnown = `/${ctx.config.userPoolId}/.well-known/`

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', 'http://emulator').pathname
    const control = ctx.config.control && (path === '/_emulator' || path.startsWith('/_emulator/'))
    // The pool summary lists users: it is guarded like the control routes.
    if (control || (path === '/' && method === 'GET')) {
      const refusal = guardControl(ctx, req, res)
      if (refusal !== undefined) return refuse(res, refusal)
      if (method === 'OPTIONS') return answerControlPreflight(res)
    } else {
      applyCors(res)
      if (method === 'OPTIONS') return answerPreflight(req, res)
    }
    const body = await readBody(req, ctx.config.behaviour.maxBodyBytes)
    // Too much to drain: answer, then close rather than read on.
    if (body.abandoned) res.setHeader('Connection', 'close')
    if (path === '/' && method === 'POST') return handleAwsJson(ctx, req, res, body)
    if (path === '/oauth2/token') return handleOAuthToken(ctx, req, res, body)
    if (path === '/oauth2/revoke') return handleOAuthRevoke(ctx, req, res, body)
    if (path === '/oauth2/authorize') {
      return serveBrowser(ctx, 'oauth2/authorize', req, res, () => authorize(ctx, req))
    }
    if (path === '/login') return serveBrowser(ctx, 'login', req, res, () => login(ctx, req, body))
    if (path === '/logout') return serveBrowser(ctx, 'logout', req, res, () => logout(ctx, req))
    if (method === 'GET' && path === `${wellKnown}jwks.json`) return serveJwks(ctx, res)
    if (method === 'GET' && path === `${wellKnown}openid-configuration`) {
      return serveOpenIdConfiguration(ctx, res)
    }
    if (ctx.config.demoApi && path === '/api/profile') return demoApi(req, res)
    if (control) return handleControl(ctx, req, res, path, body.data)
    if (path === '/' && method === 'GET') {
      const { clients, ...pool } = describePool(ctx)
      return send(
        res,
        200,
        { 'Content-Type': 'application/json' },
        JSON.stringify({
          emulator: 'react-cognito-refresh',
          ...pool,
          clients: clients.map((c) => c.clientId),
        }),
      )
    }
    notFound(res)
  }

  const { headersMs, requestMs, keepAliveMs } = ctx.config.timeouts
  // Node checks the deadlines every `connectionsCheckingInterval` (30 s by default, which would
  // let an idle connection live 40 s past a 10 s deadline); check often enough to keep them.
  const server = createServer(
    { connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersMs / 4)) },
    (req, res) => {
      if (ctx.log !== undefined) logWhenDone(ctx.log, req, res)
      route(req, res).catch((error: unknown) => {
        ctx.log?.(`internal error: ${describe(error)}`)
        send(
          res,
          500,
          {
            'Content-Type': 'application/x-amz-json-1.1',
            'x-amzn-ErrorType': 'InternalErrorException:',
          },
          '{"__type":"InternalErrorException","message":"Internal server error."}',
        )
      })
    },
  )
  // Idle, slow-header and slow-body (drip) connections get 408 and are closed.
  server.headersTimeout = headersMs
  server.requestTimeout = requestMs
  server.keepAliveTimeout = keepAliveMs
  // Unparseable HTTP: answer 400 and close, as any HTTP server would.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'
    if (socket.writable)
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    else socket.destroy()
  })
  return server
}
