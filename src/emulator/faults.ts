/**
 * Run-time fault injection: latency, error rates per error type, throttling with Retry-After,
 * dropped connections, lost replies, HTML proxy pages, outage windows, a queue of scripted
 * faults, and a clock offset. Every random decision comes from the seeded PRNG, so a test
 * replays the same faults. Every value is bounded (faultChecks.ts).
 */
import {
  bounded,
  checkCode,
  checkFault,
  checkKeys,
  faultLimits,
  faultOperations,
  probability,
} from './faultChecks'
import type { Random } from './random'

/** One injected failure. */
export type Fault =
  /** A Cognito error reply (`__type` body and headers). */
  | { kind: 'error'; code: string; message?: string }
  /** TooManyRequestsException with a `Retry-After` header (whole seconds, 0..3600). */
  | { kind: 'throttle'; retryAfterSeconds?: number }
  /** The socket is destroyed without a reply, before the call has any effect. */
  | { kind: 'drop' }
  /**
   * The call runs to completion (a refresh is committed and a rotating client's successor
   * stored), then the socket is destroyed before the reply is written: the client never learns
   * the new refresh token, and must retry with the old one inside the grace period.
   */
  | { kind: 'lostReply' }
  /** A load balancer's HTML error page (status 400..599), not a Cognito error. @default status 502 */
  | { kind: 'html'; status?: number }

export interface FaultSettings {
  /** Delay before answering, in ms; `[min, max]` picks uniformly. */
  latencyMs: number | readonly [number, number]
  /** Probability 0..1 per Cognito error type, e.g. `{ InternalErrorException: 0.2 }`. */
  errorRates: Readonly<Record<string, number>>
  /** Probability 0..1 of TooManyRequestsException with Retry-After. */
  throttleRate: number
  /** The Retry-After of injected throttling, in seconds. */
  retryAfterSeconds: number
  /** Probability 0..1 of destroying the connection without a reply. */
  dropRate: number
  /** Probability 0..1 of an HTML 502 page. */
  htmlRate: number
  /** An outage window: every affected call gets `fault` until `until` (epoch ms, real clock). */
  outage: { until: number; fault: Fault } | null
  /** Tokens are issued, and refresh tokens expire, as if the clock were this far ahead (ms). */
  clockOffsetMs: number
  /** Operations faults apply to (`faultOperations`: the awsJson ones, `oauth2/token`, managed login's); null = all. */
  operations: readonly string[] | null
  /** Faults for the next affected calls, first in first out, before any random fault. */
  queue: readonly Fault[]
}

/** What `set()` and `POST /_emulator/faults` accept: any subset, plus outage and queue helpers. */
export interface FaultSettingsInput extends Partial<
  Omit<FaultSettings, 'outage' | 'queue' | 'latencyMs' | 'operations'>
> {
  latencyMs?: number | [number, number]
  operations?: string[] | null
  /** Starts an outage window of `durationMs` from now; null ends it. @default fault InternalErrorException */
  outage?: { durationMs: number; fault?: Fault } | null
  /** Appends to the queue of scripted faults. */
  failNext?: Fault[]
}

export interface FaultDecision {
  delayMs: number
  fault: Fault | undefined
}

export const defaultFaultMessages: Readonly<Record<string, string>> = {
  InternalErrorException: 'Internal server error.',
  TooManyRequestsException: 'Rate exceeded',
  NotAuthorizedException: 'Invalid Refresh Token.',
  ForbiddenException: 'Request blocked by AWS WAF.',
}

function emptySettings(): FaultSettings {
  return {
    latencyMs: 0,
    errorRates: {},
    throttleRate: 0,
    retryAfterSeconds: 1,
    dropRate: 0,
    htmlRate: 0,
    outage: null,
    clockOffsetMs: 0,
    operations: null,
    queue: [],
  }
}

export class FaultController {
  #settings: FaultSettings = emptySettings()
  readonly #random: Random

  constructor(random: Random, initial?: FaultSettingsInput) {
    this.#random = random
    if (initial !== undefined) this.set(initial)
  }

  /** A snapshot of the current settings. */
  get(): FaultSettings {
    return { ...this.#settings, queue: [...this.#settings.queue] }
  }

  /** Merges `input` into the current settings; validates everything before changing anything. */
  set(input: FaultSettingsInput): FaultSettings {
    const next: FaultSettings = { ...this.#settings }
    const { latencyMs, errorRates, outage, failNext, operations } = checkKeys(
      input,
    ) as FaultSettingsInput
    const { maxLatencyMs, maxClockOffsetMs, maxOutageMs, maxQueue } = faultLimits
    if (latencyMs !== undefined) {
      if (Array.isArray(latencyMs)) {
        if (latencyMs.length !== 2)
          throw new TypeError('Faults: latencyMs [min, max] needs two numbers.')
        const [min, max] = latencyMs
        if (
          bounded(max, 'latencyMs[1]', 0, maxLatencyMs) <
          bounded(min, 'latencyMs[0]', 0, maxLatencyMs)
        ) {
          throw new TypeError('Faults: latencyMs [min, max] needs min <= max.')
        }
        next.latencyMs = [min, max]
      } else next.latencyMs = bounded(latencyMs, 'latencyMs', 0, maxLatencyMs)
    }
    if (errorRates !== undefined) {
      if (typeof errorRates !== 'object' || errorRates === null || Array.isArray(errorRates)) {
        throw new TypeError('Faults: errorRates must be an object of probabilities.')
      }
      const entries = Object.entries(errorRates)
      if (entries.length > faultLimits.maxErrorTypes) {
        throw new TypeError(
          `Faults: errorRates takes at most ${faultLimits.maxErrorTypes} error types.`,
        )
      }
      for (const [code, rate] of entries) {
        checkCode(code, 'an errorRates key')
        probability(rate, `errorRates.${code}`)
      }
      next.errorRates = Object.fromEntries(entries)
    }
    if (input.throttleRate !== undefined)
      next.throttleRate = probability(input.throttleRate, 'throttleRate')
    if (input.dropRate !== undefined) next.dropRate = probability(input.dropRate, 'dropRate')
    if (input.htmlRate !== undefined) next.htmlRate = probability(input.htmlRate, 'htmlRate')
    if (input.retryAfterSeconds !== undefined) {
      const max = faultLimits.maxRetryAfterSeconds
      next.retryAfterSeconds = bounded(input.retryAfterSeconds, 'retryAfterSeconds', 0, max, true)
    }
    if (input.clockOffsetMs !== undefined) {
      const max = maxClockOffsetMs
      next.clockOffsetMs = bounded(input.clockOffsetMs, 'clockOffsetMs', -max, max)
    }
    if (operations !== undefined) {
      if (
        operations !== null &&
        (!Array.isArray(operations) || operations.some((o) => !faultOperations.includes(o)))
      ) {
        throw new TypeError(
          `Faults: operations must be null or a list of ${faultOperations.join(', ')}.`,
        )
      }
      next.operations = operations === null ? null : [...new Set(operations)]
    }
    if (outage !== undefined) {
      if (outage !== null && (typeof outage !== 'object' || Array.isArray(outage))) {
        throw new TypeError('Faults: outage must be { durationMs, fault? } or null.')
      }
      next.outage =
        outage === null
          ? null
          : {
              until: Date.now() + bounded(outage.durationMs, 'outage.durationMs', 0, maxOutageMs),
              fault: checkFault(
                outage.fault ?? { kind: 'error', code: 'InternalErrorException' },
                'outage.fault',
              ),
            }
    }
    if (failNext !== undefined) {
      if (!Array.isArray(failNext))
        throw new TypeError('Faults: failNext must be a list of faults.')
      if (next.queue.length + failNext.length > maxQueue) {
        throw new TypeError(
          `Faults: the queue holds at most ${maxQueue} faults (${next.queue.length} queued, ${failNext.length} more given).`,
        )
      }
      next.queue = [...next.queue, ...failNext.map((f, i) => checkFault(f, `failNext[${i}]`))]
    }
    this.#settings = next
    return this.get()
  }

  /** Starts an outage window. */
  outage(durationMs: number, fault?: Fault): void {
    this.set({ outage: fault === undefined ? { durationMs } : { durationMs, fault } })
  }

  /** Queues faults for the next affected calls. */
  failNext(...faults: Fault[]): void {
    this.set({ failNext: faults })
  }

  /** The skew applied to the emulator's clock, in ms. */
  get clockOffsetMs(): number {
    return this.#settings.clockOffsetMs
  }

  clear(): void {
    this.#settings = emptySettings()
  }

  /** Decides the fate of one call. Consumes PRNG draws in a fixed order. */
  decide(operation: string): FaultDecision {
    const s = this.#settings
    if (s.operations !== null && !s.operations.includes(operation)) {
      return { delayMs: 0, fault: undefined }
    }
    const delayMs = Array.isArray(s.latencyMs)
      ? s.latencyMs[0] + this.#random.next() * (s.latencyMs[1] - s.latencyMs[0])
      : (s.latencyMs as number)
    if (s.outage !== null) {
      if (Date.now() < s.outage.until) return { delayMs, fault: s.outage.fault }
      this.#settings = { ...s, outage: null }
    }
    const [queued, ...rest] = s.queue
    if (queued !== undefined) {
      this.#settings = { ...this.#settings, queue: rest }
      return { delayMs, fault: queued }
    }
    if (s.dropRate > 0 && this.#random.next() < s.dropRate)
      return { delayMs, fault: { kind: 'drop' } }
    if (s.htmlRate > 0 && this.#random.next() < s.htmlRate)
      return { delayMs, fault: { kind: 'html' } }
    if (s.throttleRate > 0 && this.#random.next() < s.throttleRate) {
      return { delayMs, fault: { kind: 'throttle', retryAfterSeconds: s.retryAfterSeconds } }
    }
    for (const code of Object.keys(s.errorRates).sort()) {
      const rate = s.errorRates[code] ?? 0
      if (rate > 0 && this.#random.next() < rate) return { delayMs, fault: { kind: 'error', code } }
    }
    return { delayMs, fault: undefined }
  }
}
