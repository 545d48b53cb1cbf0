/**
 * Token-free notes that tabs leave for each other beside the session: what a failing refresh
 * learned (so one tab retries on a shared backoff and the others wait for it) and which generation
 * a 401 forced (so a storm of 401s costs one refresh for the whole browser, not one per tab).
 */
import { isVersion } from '../storedSession'
import { isNonEmptyString } from '../tokens'

export interface BackoffNote {
  sessionId: string
  /** The version whose refresh failed. */
  version: number
  /** Failed attempts so far (the next backoff grows from it, whichever tab makes it). */
  attempt: number
  /** Epoch ms: no tab calls the server for this version before then. */
  retryAt: number
  /** The failure's code and kind, shown by the tabs that wait. */
  code: string
  kind: 'retryable' | 'fatal'
  /** Epoch ms when it was written. */
  at: number
}

export interface RejectedNote {
  sessionId: string
  /** A generation that a refresh forced by a rejected (401) access token produced. */
  version: number
}

export interface Notes {
  backoff: BackoffNote
  rejected: RejectedNote
}

const isTime = (v: unknown): v is number => Number.isFinite(v) && (v as number) >= 0

/** Parses a note; anything malformed (another library's key, a hand edit) reads as none. */
export function parseNote<K extends keyof Notes>(
  name: K,
  raw: string | null,
): Notes[K] | undefined {
  let value: Record<string, unknown> | null
  try {
    value = JSON.parse(raw ?? 'null') as Record<string, unknown> | null
  } catch {
    return undefined
  }
  if (!isNonEmptyString(value?.sessionId) || !isVersion(value.version)) return undefined
  if (name === 'rejected') return value as unknown as Notes[K]
  const ok =
    Number.isSafeInteger(value.attempt) &&
    (value.attempt as number) >= 0 &&
    isTime(value.retryAt) &&
    isTime(value.at) &&
    isNonEmptyString(value.code) &&
    (value.kind === 'retryable' || value.kind === 'fatal')
  return ok ? (value as unknown as Notes[K]) : undefined
}
