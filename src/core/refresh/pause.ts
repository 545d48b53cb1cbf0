/**
 * Whether a refresh may call the server now. Two things say no, and both hold for the whole
 * browser because what they read is shared: the floor under odd lifetimes (derived from the
 * tokens), and another tab's backoff after a failed call (its note). Pure, so each rule is tested
 * on its own.
 */
import { AuthError, type AuthErrorCode, classify } from '../errors'
import type { BackoffNote } from '../tabs/notes'
import { floorAt } from './schedule'
import type { TokenSet } from '../tokens'

/** No call before `until`; `error` is what the waiting callers get. */
export interface Pause {
  wait: number
  error: AuthError
  /** The attempts made so far, when a backoff is the reason. */
  attempt?: number
  /** The pause follows a failed server call: the lock lingers so the other tabs see its note. */
  afterCall?: boolean
}

export interface PauseContext {
  minRefreshIntervalMs: number
  note: BackoffNote | undefined
  /** Notes written until this time are ignored (the browser came back online since, or the app asked). */
  notesFrom: number | undefined
}

export function pause(start: TokenSet, now: number, ctx: PauseContext): Pause | undefined {
  const floor = floorAt(start, ctx.minRefreshIntervalMs)
  if (floor !== undefined && now < floor) {
    const lifetime = Math.round((start.expiresAt - start.receivedAt) / 1000)
    const message =
      `The tokens lived ${lifetime} s, less than minRefreshIntervalMs ` +
      `(${ctx.minRefreshIntervalMs} ms); the next refresh waits ${floor - now} ms.`
    return { wait: floor, error: new AuthError('ConfigurationError', message) }
  }
  const { note } = ctx
  if (
    note === undefined ||
    note.sessionId !== start.sessionId ||
    note.version !== start.version ||
    note.retryAt <= now ||
    (ctx.notesFrom !== undefined && note.at <= ctx.notesFrom)
  ) {
    return undefined
  }
  // Another tab's refresh of this version failed: wait for its retry instead of adding ours. A
  // code that does not classify as the note says (a hand edit) is shown as a generic one.
  const { kind } = note
  const generic = kind === 'fatal' ? 'ConfigurationError' : 'NetworkError'
  const code =
    classify(note.code as AuthErrorCode) === kind ? (note.code as AuthErrorCode) : generic
  const message = 'A refresh in another tab failed; this tab waits for its retry.'
  const error = new AuthError(code, message, { kind, retryAfterMs: note.retryAt - now })
  return { wait: note.retryAt, error, attempt: note.attempt }
}
