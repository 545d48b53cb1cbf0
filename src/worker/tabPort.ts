/**
 * The tab's end of the worker's port: started on first use, requests matched to replies by id.
 * A worker that cannot start (no SharedWorker, a 404, a Content-Security-Policy without
 * `worker-src`) makes the port unavailable, and every waiting request fails as `unavailable`, so
 * the caller can run the call in the tab instead.
 */
import type { AuthenticationResult } from '../core/tokens'
import { fromWire, isTagged, type TabRequest, type WorkerMessage, workerTag } from './protocol'

/** Rejected with this when the worker is out of reach; the call never left the tab. */
export const unavailable = Symbol('worker unavailable')

export function tabPort(create: () => SharedWorker | undefined) {
  let port: MessagePort | null | undefined // null: the worker cannot run here
  let nextId = 1
  const pending = new Map<
    number,
    { resolve(v: AuthenticationResult | undefined): void; reject(e: unknown): void }
  >()

  function fail() {
    port = null
    for (const [id, p] of pending) {
      pending.delete(id)
      p.reject(unavailable)
    }
  }

  function onMessage(event: MessageEvent) {
    const message = event.data as WorkerMessage
    if (!isTagged(message)) return
    const waiting = pending.get(message.id)
    if (waiting === undefined) return
    pending.delete(message.id)
    if (message.ok === true) waiting.resolve(message.result)
    else waiting.reject(fromWire((message as { error?: unknown }).error))
  }

  function open(): MessagePort | undefined {
    if (port === undefined) {
      try {
        const worker = create()
        if (worker === undefined) port = null
        else {
          worker.addEventListener('error', fail)
          port = worker.port
          port.addEventListener('message', onMessage)
          port.start()
        }
      } catch {
        port = null
      }
    }
    return port ?? undefined
  }

  function post(request: TabRequest): number | undefined {
    const target = open()
    if (target === undefined) return undefined
    const id = nextId++
    target.postMessage({ ...request, tag: workerTag, id })
    return id
  }

  /** The worker's answer; rejects with `unavailable`, the worker's AuthError, or the abort reason. */
  function request(
    message: TabRequest,
    signal: AbortSignal,
  ): Promise<AuthenticationResult | undefined> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason)
      const id = post(message)
      if (id === undefined) return reject(unavailable)
      // The worker goes on with the call when a tab stops waiting: its reply is kept for the next tab.
      const onAbort = () => {
        pending.delete(id)
        reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      const done = () => signal.removeEventListener('abort', onAbort)
      pending.set(id, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
      })
    })
  }

  return { available: () => open() !== undefined, post, request }
}
