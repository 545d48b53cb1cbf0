/**
 * The worker side: `serveRefreshWorker()` inside a SharedWorker answers every tab of the origin
 * from one keeper. The default worker file (refresh-worker.js) is this with the Cognito
 * transports; a self-hosted worker passes its own builders for custom transports.
 */
import { AuthError, toAuthError } from '../core/errors'
import { systemClock } from '../core/platform/clock'
import { cognitoTransport } from '../core/transports/cognito'
import { initiateAuthTransport } from '../core/transports/initiateAuth'
import { oauth2Transport } from '../core/transports/oauth2'
import { buildTransport, type TransportBuilder, type WorkerTransportConfig } from './config'
import { createKeeper, newHandle } from './keeper'
import { isTagged, toWire, type WorkerMessage, workerTag } from './protocol'

export interface ServeRefreshWorkerOptions {
  /** Builders by config `type`, besides (or instead of) `cognito`, `initiateAuth` and `oauth2`. */
  transports?: Record<string, TransportBuilder>
  /** The longest a call to the server may take. @default 20000 */
  timeoutMs?: number
}

/** The part of a SharedWorker's global scope this uses. */
export interface SharedWorkerScope {
  addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void
}

export const builtinTransports: Record<string, TransportBuilder> = {
  cognito: (c) => cognitoTransport(c as Parameters<typeof cognitoTransport>[0]),
  initiateAuth: (c) => initiateAuthTransport(c as Parameters<typeof initiateAuthTransport>[0]),
  oauth2: (c) => oauth2Transport(c as Parameters<typeof oauth2Transport>[0]),
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const isConfig = (v: unknown): v is WorkerTransportConfig =>
  isObject(v) && typeof v.type === 'string'
const isText = (v: unknown): v is string => typeof v === 'string' && v !== ''

export function serveRefreshWorker(
  scope: SharedWorkerScope = globalThis as unknown as SharedWorkerScope,
  options: ServeRefreshWorkerOptions = {},
): void {
  const builders = { ...builtinTransports, ...options.transports }
  const keeper = createKeeper({
    clock: systemClock,
    newHandle,
    transportFor: (config) => buildTransport(config, builders),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  })

  async function answer(message: Record<string, unknown>): Promise<WorkerMessage | undefined> {
    const id = message.id as number
    const failure = (error: unknown): WorkerMessage => ({
      tag: workerTag,
      id,
      ok: false,
      error: toWire(toAuthError(error)),
    })
    const reply = (work: () => Promise<WorkerMessage>) => work().catch(failure)
    if (message.type === 'keep') {
      if (isText(message.handle) && isText(message.refreshToken))
        keeper.keep(message.handle, message.refreshToken)
      return undefined
    }
    const request = message.request
    if (
      message.type === 'refresh' &&
      isConfig(message.config) &&
      isObject(request) &&
      isText(request.refreshToken)
    ) {
      const config = message.config
      return reply(async () => ({
        tag: workerTag,
        id,
        ok: true,
        result: await keeper.refresh(config, request as never, { keep: message.keep === true }),
      }))
    }
    if (message.type === 'revoke' && isConfig(message.config) && isText(message.refreshToken)) {
      const { config, refreshToken } = message
      return reply(async () => {
        await keeper.revoke(config, refreshToken)
        return { tag: workerTag, id, ok: true }
      })
    }
    return failure(
      new AuthError('ConfigurationError', 'The refresh worker got a message it does not know.'),
    )
  }

  scope.addEventListener('connect', (event) => {
    const port = event.ports[0]
    if (port === undefined) return
    port.addEventListener('message', (e: MessageEvent) => {
      const message: unknown = e.data
      if (!isTagged(message)) return // not ours: another library, or a page of another version
      void answer(message as Record<string, unknown>).then((reply) => {
        if (reply !== undefined) port.postMessage(reply)
      })
    })
    port.start()
  })
}
