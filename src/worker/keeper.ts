/**
 * What the refresh worker keeps, shared by every tab of the origin: one call per refresh token at
 * a time, and the reply of every rotating refresh it made, by the token that refresh spent. A tab
 * closed or frozen after Cognito rotated the token but before the reply reached it loses nothing:
 * the next tab to present that token gets the successor from here instead of a reuse error, with
 * no call to Cognito. With `keep`, the refresh tokens themselves live only here, and tabs hold
 * handles that mean nothing outside this worker.
 */
import { bounded } from '../core/refresh/bounded'
import { AuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import type { AuthenticationResult } from '../core/tokens'
import type { RefreshRequest, Transport } from '../core/transports/types'
import { configKey, type WorkerTransportConfig } from './config'

/** Every handle starts so; a refresh token never does (Cognito's are JWEs, `eyJ…`). */
export const handlePrefix = 'rcrw.'
export const isHandle = (token: string) => token.startsWith(handlePrefix)

/** A new handle: the prefix and 256 random bits from Web Crypto, base64url. */
export function newHandle(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return handlePrefix + btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The most replies and handles kept: far more than one user's tabs spend between two sign-ins. */
export const maxKept = 256
/** How long a request with a handle waits for that handle's `keep` to arrive. */
export const keepWaitMs = 1000
/** The longest chain followed from a spent token to the live one. */
const maxHops = 32

export interface KeeperOptions {
  clock: Clock
  /** A new handle, `handlePrefix` followed by at least 128 random bits. */
  newHandle(): string
  transportFor(config: WorkerTransportConfig): Transport
  /** The longest a call to the server may take. @default 20000 */
  timeoutMs?: number
}

interface Kept {
  result: AuthenticationResult
  /** When the call that got it was sent (its tokens are at least this old). */
  sentAt: number
}

function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  map.delete(key)
  map.set(key, value)
  if (map.size > maxKept) map.delete(map.keys().next().value as K)
}

export function createKeeper(options: KeeperOptions) {
  const { clock, timeoutMs = 20_000 } = options
  const successors = new Map<string, Kept>()
  const flights = new Map<string, Promise<AuthenticationResult>>()
  const tokens = new Map<string, string>() // handle -> refresh token
  const handles = new Map<string, string>() // refresh token -> handle

  /** Handles asked for before their `keep` arrived (it comes over another tab's port). */
  const awaited = new Map<string, Array<() => void>>()

  function keep(handle: string, refreshToken: string) {
    if (!isHandle(handle) || isHandle(refreshToken) || refreshToken === '') return
    remember(tokens, handle, refreshToken)
    remember(handles, refreshToken, handle)
    for (const wake of awaited.get(handle) ?? []) wake()
    awaited.delete(handle)
  }

  function handleFor(refreshToken: string): string {
    const known = handles.get(refreshToken)
    if (known !== undefined) return known
    const handle = options.newHandle()
    keep(handle, refreshToken)
    return handle
  }

  /**
   * The token behind a handle. A tab writes a handle to storage just after posting its `keep`;
   * another tab's request can overtake that message, so an unknown handle gets a moment.
   */
  async function realToken(token: string): Promise<string> {
    if (!isHandle(token)) return token
    if (!tokens.has(token)) {
      await new Promise<void>((resolve) => {
        const timer = clock.setTimeout(resolve, keepWaitMs)
        const list = awaited.get(token) ?? []
        awaited.set(token, [...list, () => (clock.clearTimeout(timer), resolve())])
      })
    }
    const real = tokens.get(token)
    if (real !== undefined) return real
    awaited.delete(token)
    throw new AuthError(
      'NoSession',
      'The refresh worker no longer holds this session (every tab of the app was closed).',
    )
  }

  /** One call per config and token; a rotating reply is kept under the token it spent. */
  function call(config: WorkerTransportConfig, request: RefreshRequest, key: string) {
    let flight = flights.get(key)
    if (flight === undefined) {
      const sentAt = clock.now()
      const transport = options.transportFor(config)
      flight = bounded(clock, timeoutMs, (signal) => transport.refresh(request, { signal, clock }))
        .promise.then((result) => {
          const next = result.RefreshToken
          if (typeof next === 'string' && next !== '' && next !== request.refreshToken) {
            remember(successors, key, { result, sentAt })
          }
          return result
        })
        .finally(() => flights.delete(key))
      flights.set(key, flight)
    }
    return flight
  }

  /**
   * Tokens for `request`: the kept successor of a spent token while its access token is valid,
   * else a call with the live end of the chain. A `keep` reply carries a handle as its refresh
   * token, never the token itself.
   */
  async function refresh(
    config: WorkerTransportConfig,
    request: RefreshRequest,
    { keep: sealed = false } = {},
  ): Promise<AuthenticationResult> {
    const prefix = `${configKey(config)}\n`
    let token = await realToken(request.refreshToken)
    let head: Kept | undefined
    for (let hops = 0; hops < maxHops; hops++) {
      const next = successors.get(prefix + token)
      if (next === undefined) break
      head = next
      token = next.result.RefreshToken!
    }
    const result =
      head !== undefined && clock.now() - head.sentAt < head.result.ExpiresIn * 1000
        ? head.result
        : await call(config, { ...request, refreshToken: token }, prefix + token)
    if (!sealed) return result
    return { ...result, RefreshToken: handleFor(result.RefreshToken ?? token) }
  }

  async function revoke(config: WorkerTransportConfig, refreshToken: string): Promise<void> {
    const real = isHandle(refreshToken) ? tokens.get(refreshToken) : refreshToken
    if (real === undefined) return // nothing left to revoke: the worker that held it is gone
    const transport = options.transportFor(config)
    try {
      if (transport.revoke !== undefined) {
        await bounded(clock, timeoutMs, (signal) =>
          transport.revoke!({ refreshToken: real }, { signal, clock }),
        ).promise
      }
    } finally {
      const handle = handles.get(real)
      if (handle !== undefined) tokens.delete(handle)
      handles.delete(real)
    }
  }

  return { refresh, revoke, keep, size: () => ({ kept: successors.size, handles: tokens.size }) }
}

export type Keeper = ReturnType<typeof createKeeper>
