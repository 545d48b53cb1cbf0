/**
 * What the managed-login endpoints share: a reply (an HTML page or a redirect) computed before
 * it is written, so fault injection can drop it after the effects (a `lostReply`), the session
 * cookie, and the headers Cognito's pages carry (no caching, no framing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from '../context'
import { describe } from '../errors'
import { dropConnection, header, note, send } from '../http'
import { injectFault } from '../injectFault'
import { errorPage } from './pages'

export interface Reply {
  status: number
  headers: Record<string, string>
  body: string
  /** `Set-Cookie` values. */
  cookies: string[]
  /** For the counters and the log: `ok`, `redirect_mismatch`, `access_denied`, … */
  outcome: string
}

/** The managed-login session cookie; Cognito's is also called `cognito`. */
export const sessionCookie = 'cognito'
/** The double-submit token of the sign-in form (Cognito's form carries `_csrf` too). */
export const csrfCookie = 'XSRF-TOKEN'

const pageHeaders = {
  'Content-Type': 'text/html;charset=UTF-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
}

export function page(status: number, body: string, outcome: string): Reply {
  return { status, headers: { ...pageHeaders }, body, cookies: [], outcome }
}

export function redirect(location: string, outcome: string): Reply {
  const headers = { Location: location, 'Cache-Control': 'no-store' }
  return { status: 302, headers, body: '', cookies: [], outcome }
}

/** `url` with `params` added to its query (a registered URL may carry a query of its own). */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url)
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.append(name, value)
  }
  return target.toString()
}

export function cookiesOf(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  return cookies
}

/** HttpOnly, SameSite=Lax, on the emulator's whole origin. No `Secure`: the emulator is HTTP. */
export function setCookie(reply: Reply, name: string, value: string, maxAgeSeconds: number): void {
  reply.cookies.push(`${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`)
}

function write(res: ServerResponse, reply: Reply): void {
  if (reply.cookies.length > 0 && !res.headersSent) res.setHeader('Set-Cookie', reply.cookies)
  if (reply.outcome !== 'ok') note(res, { outcome: reply.outcome })
  send(res, reply.status, reply.headers, reply.body)
}

/**
 * Runs one managed-login request under the fault injection of `operation`: drops and HTML pages
 * as at every endpoint, throttling as a 429 page with Retry-After, other injected errors as a
 * 500 page, and `lostReply` as the request's effects (a code issued, a session started) without
 * the reply.
 */
export async function serveBrowser(
  ctx: Context,
  operation: string,
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => Promise<Reply>,
): Promise<void> {
  note(res, { operation })
  const outcome = await answer(ctx, operation, req, res, handle)
  ctx.stats.count(operation, outcome)
}

async function answer(
  ctx: Context,
  operation: string,
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => Promise<Reply>,
): Promise<string> {
  const injected = await injectFault(ctx, operation, req, res)
  if (injected.type === 'handled') return injected.outcome
  if (injected.type === 'error') {
    const { code, retryAfterSeconds } = injected.error
    // [infer] What managed login shows when the service fails is undocumented.
    const reply = page(code === 'TooManyRequestsException' ? 429 : 500, errorPage(code), code)
    if (retryAfterSeconds !== undefined) reply.headers['Retry-After'] = String(retryAfterSeconds)
    write(res, reply)
    return code
  }
  let reply: Reply
  try {
    reply = await handle()
  } catch (error) {
    ctx.log?.(`server_error at ${operation}: ${describe(error)}`)
    reply = page(500, errorPage('server_error'), 'server_error')
  }
  if (injected.type === 'lostReply') {
    note(res, { outcome: 'lostReply' })
    dropConnection(req, res)
    return 'lostReply'
  }
  write(res, reply)
  return reply.outcome
}
