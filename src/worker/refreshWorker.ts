/**
 * The tab side of the worker refresh mode: a transport that asks the SharedWorker, and the
 * storage the client keeps its session in. Where the worker cannot run, the transport runs the
 * same call in the tab, as the lock-based path does.
 */
import { AuthError, isAuthError } from '../core/errors'
import { resolveStorage, type StorageAdapter } from '../core/platform/storage'
import { cognitoTransport } from '../core/transports/cognito'
import type { Transport, TransportCallOptions } from '../core/transports/types'
import type { WorkerTransportConfig } from './config'
import { handlePrefix, isHandle, newHandle } from './keeper'
import { tabPort, unavailable } from './tabPort'

export interface RefreshWorkerOptions {
  /** The transport the worker runs, as data, e.g. `{ type: 'cognito', region, clientId }`. */
  transport: WorkerTransportConfig
  /**
   * `'storage'`: the session, refresh token included, stays in `storage` as in the lock-based
   * mode. `'worker'`: the refresh token lives only in the worker's memory and storage holds a
   * handle; the session then ends when the last tab of the app closes.
   * @default 'storage'
   */
  refreshToken?: 'storage' | 'worker'
  /** Where the session is kept, as the client's `storage` option. @default 'local' */
  storage?: 'local' | 'session' | 'memory' | StorageAdapter
  /** Starts the worker: the default is the package's refresh-worker.js, next to this module. */
  worker?: () => SharedWorker | undefined
  /**
   * The transport to run in the tab where the worker cannot run. For `type: 'cognito'` the default
   * is `cognitoTransport(config)`; pass the same transport for the other types (without it, they
   * refresh only in a worker, and fail with `ConfigurationError` where none can run).
   */
  fallback?: Transport
}

export interface RefreshWorker {
  /** Pass as the client's `transport`. */
  transport: Transport
  /** Pass as the client's `storage`. */
  storage: StorageAdapter
  /** Whether refreshes run in the worker (false: SharedWorker missing or failed to start). */
  inWorker(): boolean
}

/** The in-tab transport for a config, where the worker cannot run. */
function localTransport(config: WorkerTransportConfig, fallback: Transport | undefined): Transport {
  if (fallback !== undefined) return fallback
  if (config.type === 'cognito') return cognitoTransport(config as never)
  throw new AuthError(
    'ConfigurationError',
    `No worker can run here, and transport type "${String(config.type).slice(0, 40)}" has no \`fallback\`.`,
  )
}

export function createRefreshWorker(
  options: RefreshWorkerOptions,
  defaultWorker: () => SharedWorker | undefined,
): RefreshWorker {
  const { transport: config } = options
  const port = tabPort(options.worker ?? defaultWorker)
  const inMemory = options.refreshToken === 'worker'
  let local: Transport | undefined
  const inTab = () => (local ??= localTransport(config, options.fallback))

  async function viaWorker<T>(
    message: Parameters<typeof port.request>[0],
    call: TransportCallOptions,
    fallback: (t: Transport) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return (await port.request(message, call.signal)) as T | undefined
    } catch (error) {
      if (error !== unavailable) throw isAuthError(error) ? error : (call.signal.reason ?? error)
      return fallback(inTab())
    }
  }

  const transport: Transport = {
    name: `worker:${config.type}`,
    async refresh(request, call) {
      // A handle means nothing outside the worker that issued it: never send one to Cognito.
      const noWorker = () =>
        new AuthError('NoSession', 'The refresh worker that held this session cannot run here.')
      if (isHandle(request.refreshToken) && !port.available()) throw noWorker()
      const result = await viaWorker(
        { type: 'refresh', config, request, keep: inMemory },
        call,
        (t) =>
          isHandle(request.refreshToken) ? Promise.reject(noWorker()) : t.refresh(request, call),
      )
      if (result === undefined)
        throw new AuthError('InvalidResponse', 'The refresh worker sent no tokens.')
      return result
    },
    async revoke({ refreshToken }, call) {
      await viaWorker({ type: 'revoke', config, refreshToken }, call, async (t) => {
        if (!isHandle(refreshToken)) await t.revoke?.({ refreshToken }, call)
      })
    },
  }

  const base = resolveStorage(options.storage)
  /** Writes a handle in place of a refresh token, handing the token to the worker first. */
  const sealed: StorageAdapter = {
    ...(base.shared !== undefined && { shared: base.shared }),
    getItem: (key) => base.getItem(key),
    removeItem: (key) => base.removeItem(key),
    setItem(key, value) {
      base.setItem(key, seal(value))
    },
  }
  function seal(value: string): string {
    let blob: unknown
    try {
      blob = JSON.parse(value)
    } catch {
      return value
    }
    const token = (blob as { refreshToken?: unknown } | null)?.refreshToken
    if (typeof token !== 'string' || token.startsWith(handlePrefix) || !port.available())
      return value
    const handle = newHandle()
    port.post({ type: 'keep', handle, refreshToken: token })
    return JSON.stringify({ ...(blob as object), refreshToken: handle })
  }

  // Every tab connects now, not at its first refresh: a SharedWorker lives only while a tab is
  // connected to it, so a tab that never refreshed would not keep alive the call of one that closed.
  port.available()
  return { transport, storage: inMemory ? sealed : base, inWorker: port.available }
}
