/**
 * Who may drive the emulator. The Cognito routes are public, as Cognito's are (CORS `*`); the
 * control routes change faults, users and tokens, so a web page the developer happens to visit
 * must not reach them. Three checks, each enough against one attack:
 * - the Host is loopback (or listed): a DNS-rebinding page sends its own host name;
 * - the Origin is absent (Node, curl), the emulator's own, or listed in `controlOrigins`: every
 *   browser sends Origin on cross-origin POST, PATCH and DELETE, and on CORS GETs;
 * - writes carry `Content-Type: application/json`: a page cannot send that cross-origin without a
 *   preflight, and the preflight of an unlisted origin fails. A `text/plain` form post is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from './context'
import { header, headerSafe, note, send } from './http'

export interface Refusal {
  status: number
  code: string
  message: string
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])
const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i
const jsonType = /^application\/json\s*(;|$)/i
const writeMethods = new Set(['POST', 'PUT', 'PATCH'])

/** Quoted in a message: printable, and short enough that a hostile header cannot flood a log. */
function quote(value: string): string {
  const safe = headerSafe(value)
  return JSON.stringify(safe.length > 100 ? `${safe.slice(0, 100)}…` : safe)
}

function hostName(host: string | undefined): string | undefined {
  const match = host === undefined ? null : hostPattern.exec(host.trim())
  return match?.[1]?.toLowerCase()
}

function hostRefusal(ctx: Context, req: IncomingMessage): Refusal | undefined {
  const name = hostName(header(req, 'host'))
  if (name !== undefined && (loopbackHosts.has(name) || ctx.config.controlHosts.has(name))) {
    return undefined
  }
  const host = header(req, 'host')
  return {
    status: 421,
    code: 'MisdirectedRequest',
    message:
      `The emulator's control endpoint answers only to 127.0.0.1, localhost or [::1] (any port)` +
      ` and to the hosts in controlHosts; this request named ${host === undefined ? 'no host' : quote(host)}.`,
  }
}

/** The Origin, when the request comes from a page that may use the control routes. */
function originRefusal(ctx: Context, req: IncomingMessage): Refusal | undefined {
  const origin = header(req, 'origin')
  if (origin === undefined) {
    // No Origin: Node, curl, or a browser's no-cors GET (an <img>), which the browser marks.
    const site = header(req, 'sec-fetch-site')
    if (site === undefined || site === 'same-origin' || site === 'none') return undefined
    return {
      status: 403,
      code: 'ForbiddenOrigin',
      message: `A ${quote(site)} request without an Origin may not use the emulator's control endpoint.`,
    }
  }
  if (ctx.config.controlOrigins.has(origin) || origin === `http://${header(req, 'host') ?? ''}`) {
    return undefined
  }
  return {
    status: 403,
    code: 'ForbiddenOrigin',
    message: `The origin ${quote(origin)} may not use the emulator's control endpoint; list it in the emulator's controlOrigins option (CLI: --control-origin).`,
  }
}

export function refuse(res: ServerResponse, refusal: Refusal): void {
  note(res, { outcome: refusal.code })
  send(
    res,
    refusal.status,
    { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Connection: 'close' },
    JSON.stringify({ __type: refusal.code, message: refusal.message }),
  )
}

/**
 * Checks a control request and, when it may proceed, sets its CORS headers (the page's own
 * origin, never `*`). Returns a refusal to send instead, or undefined.
 */
export function guardControl(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
): Refusal | undefined {
  const refusal = hostRefusal(ctx, req) ?? originRefusal(ctx, req)
  if (refusal !== undefined) return refusal
  const origin = header(req, 'origin')
  if (origin !== undefined) res.setHeader('Access-Control-Allow-Origin', origin)
  res.setHeader('Vary', 'Origin')
  const method = req.method ?? 'GET'
  if (writeMethods.has(method) && !jsonType.test(header(req, 'content-type') ?? '')) {
    return {
      status: 415,
      code: 'UnsupportedMediaType',
      message: `${method} to the control endpoint needs Content-Type: application/json.`,
    }
  }
  return undefined
}

/** The preflight of a page whose origin passed `guardControl`. */
export function answerControlPreflight(res: ServerResponse): void {
  if (res.destroyed) return
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
    // The playground marks its calls with x-emulator-control; a listed page may send it.
    'Access-Control-Allow-Headers': 'content-type, x-emulator-control',
    'Access-Control-Max-Age': '600',
    'Content-Length': '0',
  })
  res.end()
}
