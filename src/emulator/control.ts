/**
 * `/_emulator/*`: the control endpoint for tests written in any language. JSON in and out.
 *   GET  /_emulator                 pool, clients (without secrets) and users
 *   GET  /_emulator/stats           counters and the refresh log
 *   POST /_emulator/reset           body {stats?, faults?, tokens?, users?}; all when empty
 *   GET|POST|DELETE /_emulator/faults   read, merge (FaultSettingsInput), clear
 *   POST /_emulator/users           add or replace a user (UserConfig)
 *   PATCH|DELETE /_emulator/users/<username>   update or delete a user
 *   POST /_emulator/sign-in         {username?, password?, clientId?} → AuthenticationResult
 *   GET  /_emulator/messages        the codes sent by SMS and email (`?username=` for one user)
 * Who may call these is decided before they run (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { UserConfig } from './config'
import { type Context, issuerOf } from './context'
import { isServiceError } from './errors'
import { note, send } from './http'
import { type ResetScope, resetEmulator } from './reset'
import { messagesOf, signIn, updateUser } from './users'

function json(res: ServerResponse, status: number, body: unknown): void {
  if (status >= 400) {
    const type = (body as { __type?: unknown }).__type
    note(res, { outcome: typeof type === 'string' ? type : 'error' })
  }
  send(
    res,
    status,
    { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    JSON.stringify(body),
  )
}

export function describePool(ctx: Context) {
  return {
    userPoolId: ctx.config.userPoolId,
    region: ctx.config.region,
    url: ctx.baseUrl,
    issuer: issuerOf(ctx),
    clients: ctx.config.clients.map(({ clientSecret, ...client }) => ({
      ...client,
      hasSecret: clientSecret !== undefined,
    })),
    users: [...ctx.store.users.values()].map((u) => ({
      username: u.username,
      sub: u.sub,
      enabled: u.enabled,
      confirmed: u.confirmed,
    })),
  }
}

function parse(data: Buffer): Record<string, unknown> {
  const text = data.toString('utf8').trim()
  if (text === '') return {}
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('The body must be a JSON object.')
  }
  return value as Record<string, unknown>
}

async function dispatch(
  ctx: Context,
  method: string,
  path: string,
  input: Record<string, unknown>,
) {
  const userPath = /^\/_emulator\/users\/(.+)$/.exec(path)
  if (userPath !== null) {
    const username = decodeURIComponent(userPath[1] ?? '')
    if (method === 'DELETE') return { deleted: ctx.store.deleteUser(username) }
    if (method === 'PATCH')
      return { sub: updateUser(ctx, username, input as Partial<UserConfig>).sub }
  }
  if (method === 'GET' && path.startsWith('/_emulator/messages')) {
    const username = new URLSearchParams(path.split('?')[1] ?? '').get('username')
    return { messages: messagesOf(ctx, username ?? undefined) }
  }
  switch (`${method} ${path}`) {
    case 'GET /_emulator':
      return describePool(ctx)
    case 'GET /_emulator/stats':
      return ctx.stats.snapshot()
    case 'POST /_emulator/reset':
      resetEmulator(ctx, input as ResetScope)
      return { reset: true }
    case 'GET /_emulator/faults':
      return ctx.faults.get()
    case 'POST /_emulator/faults':
      return ctx.faults.set(input)
    case 'DELETE /_emulator/faults':
      ctx.faults.clear()
      return ctx.faults.get()
    case 'POST /_emulator/users': {
      const user = input as unknown as UserConfig
      if (typeof user.username !== 'string' || typeof user.password !== 'string') {
        throw new TypeError('A user needs a username and a password.')
      }
      return { username: user.username, sub: ctx.store.upsertUser(user).sub }
    }
    case 'POST /_emulator/sign-in':
      return signIn(ctx, input)
    default:
      return undefined
  }
}

export async function handleControl(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  data: Buffer,
): Promise<void> {
  try {
    const result = await dispatch(ctx, req.method ?? 'GET', path.replace(/\/$/, ''), parse(data))
    if (result === undefined) json(res, 404, { message: `No control route ${req.method} ${path}` })
    else json(res, 200, result)
  } catch (error) {
    if (isServiceError(error)) json(res, 400, { __type: error.code, message: error.serviceMessage })
    else json(res, 400, { message: error instanceof Error ? error.message : 'Bad request' })
  }
}
