/**
 * Carries out a fault decision for one call: waits the latency, then either drops the socket,
 * writes an HTML page (both handled here), hands back a ServiceError for the protocol to render
 * in its own format, or tells the protocol to run the call and lose its reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from './context'
import { ServiceError } from './errors'
import { defaultFaultMessages } from './faults'
import { delay, dropConnection, sendHtmlError } from './http'

export type FaultOutcome =
  | { type: 'none' }
  /** The reply is already written (or the socket is gone); record `outcome`. */
  | { type: 'handled'; outcome: 'dropped' | 'html' }
  | { type: 'error'; error: ServiceError }
  /** Run the call, then destroy the connection instead of replying. */
  | { type: 'lostReply' }

export async function injectFault(
  ctx: Context,
  operation: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<FaultOutcome> {
  const { delayMs, fault } = ctx.faults.decide(operation)
  await delay(delayMs)
  if (fault === undefined) return { type: 'none' }
  switch (fault.kind) {
    case 'drop':
      dropConnection(req, res)
      return { type: 'handled', outcome: 'dropped' }
    case 'lostReply':
      return { type: 'lostReply' }
    case 'html':
      sendHtmlError(res, fault.status ?? 502)
      return { type: 'handled', outcome: 'html' }
    case 'throttle':
      return {
        type: 'error',
        error: new ServiceError('TooManyRequestsException', 'Rate exceeded', {
          retryAfterSeconds: fault.retryAfterSeconds ?? ctx.faults.get().retryAfterSeconds,
        }),
      }
    case 'error':
      return {
        type: 'error',
        error: new ServiceError(
          fault.code,
          fault.message ?? defaultFaultMessages[fault.code] ?? `Injected ${fault.code}.`,
        ),
      }
  }
}
