/**
 * The tab-to-tab protocol. Every message names the protocol and its version; anything else on
 * the channel (another library, an older version of us, garbage) is reported and ignored.
 * Same-origin only (BroadcastChannel), so carrying the session blob is no wider exposure than
 * localStorage.
 */
import type { SignOutReason } from '../events'
import { isNonEmptyString as str } from '../tokens'

export const protocolName = 'react-cognito-refresh'
export const protocolVersion = 1

interface Base {
  protocol: typeof protocolName
  v: typeof protocolVersion
  /** The sending tab, so a tab ignores its own echo. */
  from: string
}

export type TabMessage = Base &
  (
    | { type: 'tokens'; cause: 'refreshed' | 'signedIn'; session: string }
    | { type: 'signedOut'; sessionId: string | null; reason: SignOutReason }
    | { type: 'sessionRequest'; requestId: string }
    | { type: 'sessionResponse'; requestId: string; to: string; session: string }
  )

type Payload = TabMessage extends infer M ? (M extends Base ? Omit<M, keyof Base> : never) : never

export function createMessage(from: string, payload: Payload): TabMessage {
  return { protocol: protocolName, v: protocolVersion, from, ...payload } as TabMessage
}

export type ParsedMessage =
  { ok: true; message: TabMessage } | { ok: false; reason: 'foreign' | 'invalid' | 'version' }

const reasons: readonly unknown[] = ['signOut', 'rejected', 'reuse', 'expired']

export function parseMessage(data: unknown): ParsedMessage {
  // Any cloneable value: a primitive has no `protocol` either.
  const m = data as Record<string, unknown> | null | undefined
  if (m?.protocol !== protocolName) return { ok: false, reason: 'foreign' }
  if (m.v !== protocolVersion) return { ok: false, reason: 'version' }
  if (!str(m.from)) return { ok: false, reason: 'invalid' }
  const valid =
    (m.type === 'tokens' &&
      (m.cause === 'refreshed' || m.cause === 'signedIn') &&
      str(m.session)) ||
    (m.type === 'signedOut' &&
      (m.sessionId === null || str(m.sessionId)) &&
      reasons.includes(m.reason)) ||
    (m.type === 'sessionRequest' && str(m.requestId)) ||
    (m.type === 'sessionResponse' && str(m.requestId) && str(m.to) && str(m.session))
  return valid
    ? { ok: true, message: m as unknown as TabMessage }
    : { ok: false, reason: 'invalid' }
}
