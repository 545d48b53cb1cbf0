/**
 * The HTTP server: CORS on everything, bounded bodies, routing. A handler's own failure becomes
 * an InternalErrorException reply; nothing a client sends can take the process down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { handleAwsJson } from './awsJson'
import type { Context } from './context'
import { handleControl, describePool } from './control'
import { answerPreflight, applyCors } from './cors'
import { createDemoApi } from './demoApi'
import { describe } from './errors'
import { readBody, send } from './http'
import { handleOAuthToken } from './oauth'
import { handleOAuthRevoke } from './oauthRevoke'
import { serveJwks, serveOpenIdConfiguration } from './wellKnown'

function notFound(res: ServerResponse): void {
  send(res, 404, { 'Content-Type': 'application/json' }, '{"message":"Not found"}')
}

export function createEmulatorServer(ctx: Context): Server {
  const demoApi = createDemoApi(ctx)
  const wellKnown = `/${ctx.config.userPoolId}/.well-known/`

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applyCors(res)
    const method = req.method ?? 'GET'
    if (method === 'OPTIONS') return answerPreflight(req, res)
    const path = new URL(req.url ?? '/', 'http://emulator').pathname
    const body = await readBody(req, ctx.config.behaviour.maxBodyBytes)
    // Too much to drain: answer, then close rather than read on.
    if (body.abandoned) res.setHeader('Connection', 'close')
    ctx.log?.(`${method} ${path}`)
    if (path === '/' && method === 'POST') return handleAwsJson(ctx, req, res, body)
    if (path === '/oauth2/token') return handleOAuthToken(ctx, req, res, body)
    if (path === '/oauth2/revoke') return handleOAuthRevoke(ctx, req, res, body)
    if (method === 'GET' && path === `${wellKnown}jwks.json`) return serveJwks(ctx, res)
    if (method === 'GET' && path === `${wellKnown}openid-configuration`) {
      return serveOpenIdConfiguration(ctx, res)
    }
    if (ctx.config.demoApi && path === '/api/profile') return demoApi(req, res)
    if (ctx.config.control && (path === '/_emulator' || path.startsWith('/_emulator/'))) {
      return handleControl(ctx, req, res, path, body.data)
    }
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

  const server = createServer((req, res) => {
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
  })
  // A client that announces more body than it sends is cut off (408) instead of held for 5 min.
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000
  // Unparseable HTTP: answer 400 and close, as any HTTP server would.
  server.on('clientError', (_error: Error, socket: Socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    else socket.destroy()
  })
  return server
}
