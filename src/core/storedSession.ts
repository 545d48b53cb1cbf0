import type { SignOutReason } from './events'
import type { AccessTokenClaims, IdTokenClaims, TokenSet } from './tokens'
import { decodeClaims, isNonEmptyString } from './tokens'

/** The highest version we believe: one refresh a second for 68 years. Above it is corruption. */
export const maxVersion = 2 ** 31

export const isVersion = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= maxVersion

/** The blob format. Bump when the shape changes; older or newer blobs are ignored, not parsed. */
export const storageFormatVersion = 1

interface StoredSession {
  format: typeof storageFormatVersion
  sessionId: string
  /** Absent in blobs written before it existed: the receipt time stands in. */
  signedInAt?: number
  version: number
  accessToken: string
  idToken?: string
  refreshToken?: string
  expiresAt: number
  receivedAt: number
  deviceKey?: string
  deviceGroupKey?: string
  /** Added without a format bump: older blobs lack it (read as absent), older readers ignore it. */
  randomPasswordKey?: string
}

export function serializeSession(tokens: TokenSet, persistRefreshToken = true): string {
  // Members that are undefined are left out of the JSON.
  const stored: { [K in keyof StoredSession]: StoredSession[K] | undefined } = {
    format: storageFormatVersion,
    sessionId: tokens.sessionId,
    signedInAt: tokens.signedInAt,
    version: tokens.version,
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    receivedAt: tokens.receivedAt,
    idToken: tokens.idToken,
    refreshToken: persistRefreshToken ? tokens.refreshToken : undefined,
    deviceKey: tokens.deviceKey,
    deviceGroupKey: tokens.deviceGroupKey,
    randomPasswordKey: tokens.randomPasswordKey,
  }
  return JSON.stringify(stored)
}

export type ParseResult =
  | { ok: true; tokens: TokenSet; hasRefreshToken: boolean }
  | { ok: false; reason: 'empty' | 'corrupt' | 'foreign' | 'version' | 'invalid' }

const isTime = (v: unknown): v is number => Number.isFinite(v) && (v as number) > 0
const optionalStrings = [
  'idToken',
  'refreshToken',
  'deviceKey',
  'deviceGroupKey',
  'randomPasswordKey',
] as const

/**
 * Reads a stored blob back. Anything we did not write, or wrote in another format, is reported
 * with a reason and never throws.
 */
export function parseSession(raw: string | null): ParseResult {
  if (raw === null || raw === '') return { ok: false, reason: 'empty' }
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return { ok: false, reason: 'corrupt' }
  }
  if (typeof value !== 'object' || value === null || !('format' in value)) {
    return { ok: false, reason: 'foreign' }
  }
  const s = value as Partial<Record<keyof StoredSession, unknown>>
  if (s.format !== storageFormatVersion) return { ok: false, reason: 'version' }
  if ('signedOut' in value) return { ok: false, reason: 'empty' } // a tombstone: no session
  const { sessionId, version, accessToken, expiresAt, receivedAt, signedInAt } = s
  if (
    !isNonEmptyString(sessionId) ||
    !isVersion(version) ||
    !isNonEmptyString(accessToken) ||
    !isTime(expiresAt) ||
    !isTime(receivedAt) ||
    !(signedInAt === undefined || isTime(signedInAt)) ||
    !optionalStrings.every((key) => s[key] === undefined || isNonEmptyString(s[key]))
  ) {
    return { ok: false, reason: 'invalid' }
  }
  // Checked above: each is a non-empty string or absent.
  const { idToken, refreshToken, deviceKey, deviceGroupKey, randomPasswordKey } =
    s as Partial<StoredSession>
  try {
    const tokens: TokenSet = {
      accessToken,
      idToken,
      refreshToken: refreshToken ?? '',
      expiresAt,
      receivedAt,
      sessionId,
      signedInAt: signedInAt ?? receivedAt,
      version: version as number,
      deviceKey,
      deviceGroupKey,
      randomPasswordKey,
      // A decoding error's message goes nowhere: the blob is reported as invalid.
      accessClaims: decodeClaims<AccessTokenClaims>(accessToken, 'access token'),
      idClaims:
        idToken === undefined ? undefined : decodeClaims<IdTokenClaims>(idToken, 'ID token'),
    }
    return { ok: true, tokens, hasRefreshToken: refreshToken !== undefined }
  } catch {
    return { ok: false, reason: 'invalid' }
  }
}

/**
 * What sign-out leaves in shared storage: the ended session's id and no token. Unlike an empty
 * slot (which a renderer whose copy of localStorage lags behind another tab's sign-in may show for
 * a moment), it says for certain that this session was signed out.
 */
export function serializeTombstone(
  tokens: Pick<TokenSet, 'sessionId' | 'signedInAt'>,
  reason?: SignOutReason,
): string {
  const { sessionId, signedInAt } = tokens
  return JSON.stringify({ format: storageFormatVersion, signedOut: sessionId, signedInAt, reason })
}

const reasons: readonly unknown[] = ['signOut', 'rejected', 'reuse', 'expired', 'noSession']

/**
 * Why the tombstone in `raw` ended `tokens`' session, when it names that session and says why (an
 * older session ended by a later sign-in's end has no reason of its own).
 */
export function endReason(
  raw: string | null,
  tokens: Pick<TokenSet, 'sessionId'>,
): SignOutReason | undefined {
  try {
    const t = JSON.parse(raw ?? 'null') as { signedOut?: unknown; reason?: unknown } | null
    if (!isTombstone(raw) || t?.signedOut !== tokens.sessionId) return undefined
    return reasons.includes(t.reason) ? (t.reason as SignOutReason) : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether a tombstone in `raw` ends `tokens`' session: it names it, or a later sign-in that was
 * signed out (a session older than one that ended is over too).
 */
export function endedBy(raw: string | null, tokens: Pick<TokenSet, 'sessionId' | 'signedInAt'>) {
  try {
    // Any JSON value: a number or a string has no such members either.
    const t = JSON.parse(raw ?? 'null') as {
      format?: unknown
      signedOut?: unknown
      signedInAt?: unknown
    } | null
    if (t?.format !== storageFormatVersion || typeof t.signedOut !== 'string') return false
    if (t.signedOut === tokens.sessionId) return true
    return typeof t.signedInAt === 'number' && tokens.signedInAt <= t.signedInAt
  } catch {
    return false
  }
}

/** Whether `raw` is a tombstone. */
export const isTombstone = (raw: string | null) => endedBy(raw, { sessionId: '', signedInAt: -1 })
