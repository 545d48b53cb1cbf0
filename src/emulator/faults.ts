/**
 * Run-time fault injection: latency, error rates per error type, throttling with Retry-After,
 * dropped connections, HTML proxy pages, outage windows, a queue of scripted faults, and a clock
 * offset. Every random decision comes from the seeded PRNG, so a test replays the same faults.
 */
import type { Random } from './random'

/** One injected failure. */
export type Fault =
  /** A Cognito error reply (`__type` body and headers). */
  | { kind: 'error'; code: string; message?: string }
  /** TooManyRequestsException with a `Retry-After` header. */
  | { kind: 'throttle'; retryAfterSeconds?: number }
  /** The socket is destroyed without a reply. */
  | { kind: 'drop' }
  /** A load balancer's HTML error page, not a Cognito error. @default status 502 */
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
  /** Operations faults apply to (`InitiateAuth`, `GetTokensFromRefreshToken`, `RevokeToken`, `oauth2/token`); null = all. */
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

function probability(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new TypeError(`Faults: ${name} must be a number from 0 to 1.`)
  }
  return value
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Faults: ${name} must be a non-negative number.`)
  }
  return value
}

function checkFault(fault: unknown): Fault {
  const f = fault as Fault | null
  const ok =
    typeof f === 'object' &&
    f !== null &&
    ((f.kind === 'error' && typeof f.code === 'string' && f.code !== '') ||
      f.kind === 'throttle' ||
      f.kind === 'drop' ||
      f.kind === 'html')
  if (!ok)
    throw new TypeError('Faults: a fault needs kind error (with code), throttle, drop or html.')
  return f
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
    const { latencyMs, errorRates, outage, failNext, operations } = input
    if (latencyMs !== undefined) {
      if (Array.isArray(latencyMs)) {
        const [min, max] = latencyMs
        if (nonNegative(max, 'latencyMs[1]') < nonNegative(min, 'latencyMs[0]')) {
          throw new TypeError('Faults: latencyMs [min, max] needs min <= max.')
        }
        next.latencyMs = [min, max]
      } else next.latencyMs = nonNegative(latencyMs, 'latencyMs')
    }
    if (errorRates !== undefined) {
      if (typeof errorRates !== 'object' || errorRates === null) {
        throw new TypeError('Faults: errorRates must be an object of probabilities.')
      }
      for (const [code, rate] of Object.entries(errorRates)) probability(rate, `errorRates.${code}`)
      next.errorRates = { ...errorRates }
    }
    if (input.throttleRate !== undefined)
      next.throttleRate = probability(input.throttleRate, 'throttleRate')
    if (input.dropRate !== undefined) next.dropRate = probability(input.dropRate, 'dropRate')
    if (input.htmlRate !== undefined) next.htmlRate = probability(input.htmlRate, 'htmlRate')
    if (input.retryAfterSeconds !== undefined) {
      next.retryAfterSeconds = nonNegative(input.retryAfterSeconds, 'retryAfterSeconds')
    }
    if (input.clockOffsetMs !== undefined) {
      if (typeof input.clockOffsetMs !== 'number' || !Number.isFinite(input.clockOffsetMs)) {
        throw new TypeError('Faults: clockOffsetMs must be a finite number.')
      }
      next.clockOffsetMs = input.clockOffsetMs
    }
    if (operations !== undefined) {
      if (
        operations !== null &&
        (!Array.isArray(operations) || operations.some((o) => typeof o !== 'string'))
      ) {
        throw new TypeError('Faults: operations must be a list of operation names or null.')
      }
      next.operations = operations === null ? null : [...operations]
    }
    if (outage !== undefined) {
      next.outage =
        outage === null
          ? null
          : {
              until: Date.now() + nonNegative(outage.durationMs, 'outage.durationMs'),
              fault: checkFault(outage.fault ?? { kind: 'error', code: 'InternalErrorException' }),
            }
    }
    if (failNext !== undefined) {
      if (!Array.isArray(failNext))
        throw new TypeError('Faults: failNext must be a list of faults.')
      next.queue = [...next.queue, ...failNext.map(checkFault)]
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
