/**
 * Bounds for fault settings. They come from tests and from any process that can reach the
 * control endpoint, so every value is checked for type and range: a setting outside them would
 * hang calls for hours, put a non-integer into Retry-After, grow the queue without end or move
 * the clock past what a Date holds. A bad value throws a TypeError naming it; nothing changes.
 */
import type { Fault } from './faults'

export const faultLimits = {
  /** Two minutes: longer than any client timeout worth testing. */
  maxLatencyMs: 120_000,
  /** One hour, the longest Retry-After that still means "soon". */
  maxRetryAfterSeconds: 3_600,
  /** One day. */
  maxOutageMs: 86_400_000,
  maxQueue: 1_000,
  /** Twenty years either way: past the longest refresh-token validity (ten years). */
  maxClockOffsetMs: 20 * 366 * 86_400_000,
  maxErrorTypes: 50,
  maxMessageLength: 1_000,
} as const

/** The operations faults can target. */
export const faultOperations: readonly string[] = [
  'InitiateAuth',
  'RespondToAuthChallenge',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'GetUserAuthFactors',
  'GetTokensFromRefreshToken',
  'RevokeToken',
  'oauth2/token',
  'oauth2/authorize',
  'login',
  'logout',
]

/** The names `set()` accepts; anything else is a typo that would silently do nothing. */
export const faultInputKeys: ReadonlySet<string> = new Set([
  'latencyMs',
  'errorRates',
  'throttleRate',
  'retryAfterSeconds',
  'dropRate',
  'htmlRate',
  'outage',
  'clockOffsetMs',
  'operations',
  'failNext',
])

const errorCode = /^[A-Za-z][A-Za-z0-9]{0,99}$/

function bad(message: string): never {
  throw new TypeError(`Faults: ${message}`)
}

export function probability(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    bad(`${name} must be a number from 0 to 1 (got ${show(value)}).`)
  }
  return value
}

/** A finite number in [min, max]; integers only when asked. */
export function bounded(
  value: unknown,
  name: string,
  min: number,
  max: number,
  integer = false,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    bad(
      `${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${show(value)}).`,
    )
  }
  return value
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

export function checkCode(value: unknown, name: string): string {
  if (typeof value !== 'string' || !errorCode.test(value)) {
    bad(`${name} must be an error type such as InternalErrorException (got ${show(value)}).`)
  }
  return value
}

export function checkFault(fault: unknown, name = 'fault'): Fault {
  const f = fault as Record<string, unknown> | null
  if (typeof f !== 'object' || f === null || Array.isArray(f)) {
    bad(`${name} must be an object with a kind.`)
  }
  switch (f.kind) {
    case 'error':
      checkCode(f.code, `${name}.code`)
      if (
        f.message !== undefined &&
        (typeof f.message !== 'string' || f.message.length > faultLimits.maxMessageLength)
      ) {
        bad(
          `${name}.message must be a string of at most ${faultLimits.maxMessageLength} characters.`,
        )
      }
      break
    case 'throttle':
      if (f.retryAfterSeconds !== undefined) {
        const max = faultLimits.maxRetryAfterSeconds
        bounded(f.retryAfterSeconds, `${name}.retryAfterSeconds`, 0, max, true)
      }
      break
    case 'html':
      if (f.status !== undefined) bounded(f.status, `${name}.status`, 400, 599, true)
      break
    case 'drop':
    case 'lostReply':
      break
    default:
      bad(`${name}.kind must be error (with a code), throttle, drop, lostReply or html.`)
  }
  return { ...f } as Fault
}

export function checkKeys(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    bad('the settings must be an object.')
  }
  for (const key of Object.keys(input)) {
    if (!faultInputKeys.has(key)) {
      bad(`unknown setting ${show(key)}; known: ${[...faultInputKeys].join(', ')}.`)
    }
  }
  return input as Record<string, unknown>
}
