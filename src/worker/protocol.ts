/**
 * The messages between a tab and the refresh worker, over a SharedWorker's MessagePort. Every
 * message carries the tag; anything else on the port (another library, a stale page) is ignored.
 * Errors cross as the fields of `AuthError.toJSON()`: already redacted, never a cause.
 */
import { AuthError, type AuthErrorCode, type AuthErrorKind } from '../core/errors'
import type { AuthenticationResult } from '../core/tokens'
import type { RefreshRequest } from '../core/transports/types'
import type { WorkerTransportConfig } from './config'

export const workerTag = 'react-cognito-refresh/worker@1'

/**
 * What a tab asks. A `refresh` with `keep` is answered with a handle for the refresh token; a
 * `keep` hands a refresh token to the worker under a handle (no reply).
 */
export type TabRequest =
  | { type: 'refresh'; config: WorkerTransportConfig; request: RefreshRequest; keep: boolean }
  | { type: 'revoke'; config: WorkerTransportConfig; refreshToken: string }
  | { type: 'keep'; handle: string; refreshToken: string }

export type TabMessage = TabRequest & { tag: typeof workerTag; id: number }

export interface WireError {
  code: AuthErrorCode
  kind: AuthErrorKind
  message: string
  status?: number | undefined
  requestId?: string | undefined
  retryAfterMs?: number | undefined
  serviceCode?: string | undefined
}

/** What the worker answers, to the asking port only. */
export type WorkerMessage =
  | { tag: typeof workerTag; id: number; ok: true; result?: AuthenticationResult }
  | { tag: typeof workerTag; id: number; ok: false; error: WireError }

export function isTagged(value: unknown): value is { tag: string; id: number; type?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { tag?: unknown }).tag === workerTag &&
    Number.isSafeInteger((value as { id?: unknown }).id)
  )
}

export function toWire(error: AuthError): WireError {
  const { code, kind, message, status, requestId, retryAfterMs, serviceCode } = error
  return { code, kind, message, status, requestId, retryAfterMs, serviceCode }
}

const kinds: readonly unknown[] = ['terminal', 'reuse', 'retryable', 'fatal']

/** The worker's error as the tab's own AuthError; a message we cannot read is a retryable one. */
export function fromWire(value: unknown): AuthError {
  const e = (typeof value === 'object' && value !== null ? value : {}) as Partial<WireError>
  if (typeof e.code !== 'string' || typeof e.message !== 'string') {
    return new AuthError('InvalidResponse', 'The refresh worker sent an error we cannot read.')
  }
  const { status, requestId, retryAfterMs, serviceCode } = e
  return new AuthError(e.code, e.message, {
    ...(kinds.includes(e.kind) && { kind: e.kind! }),
    ...(typeof status === 'number' && { status }),
    ...(typeof requestId === 'string' && { requestId }),
    ...(typeof retryAfterMs === 'number' && retryAfterMs >= 0 && { retryAfterMs }),
    ...(typeof serviceCode === 'string' && { serviceCode }),
  })
}
