/** Counters for tests and benchmarks: calls per operation and outcome, the refresh log, demo API. */

/** One refresh call, in arrival order. */
export interface RefreshLogEntry {
  seq: number
  /** Real epoch ms when the call was answered. */
  at: number
  /** `GetTokensFromRefreshToken`, `InitiateAuth` (REFRESH_TOKEN_AUTH) or `oauth2/token`. */
  operation: string
  clientId: string | undefined
  /** The token family (`origin_jti`) of the submitted refresh token, when the emulator knows it. */
  originJti: string | undefined
  /** `ok`, an error type, `dropped` or `html`. */
  outcome: string
  /** The reply carried a new refresh token (rotation). */
  rotated: boolean
}

export type DemoApiOutcome = 'ok' | 'expired' | 'invalid' | 'missing'

export interface EmulatorStats {
  /** operation → outcome → count; outcome is `ok`, an error type, `dropped` or `html`. */
  calls: Record<string, Record<string, number>>
  /** The most recent refresh calls (up to 10,000), oldest first. */
  refreshes: RefreshLogEntry[]
  demoApi: Record<DemoApiOutcome, number>
}

const maxLog = 10_000

export class StatsRecorder {
  #calls: Record<string, Record<string, number>> = {}
  #refreshes: RefreshLogEntry[] = []
  #seq = 0
  #demo: Record<DemoApiOutcome, number> = { ok: 0, expired: 0, invalid: 0, missing: 0 }

  count(operation: string, outcome: string): void {
    const byOutcome = (this.#calls[operation] ??= {})
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1
  }

  logRefresh(entry: Omit<RefreshLogEntry, 'seq' | 'at'>): void {
    this.#seq += 1
    this.#refreshes.push({ seq: this.#seq, at: Date.now(), ...entry })
    if (this.#refreshes.length > maxLog) this.#refreshes.splice(0, this.#refreshes.length - maxLog)
  }

  demo(outcome: DemoApiOutcome): void {
    this.#demo[outcome] += 1
  }

  snapshot(): EmulatorStats {
    return structuredClone({ calls: this.#calls, refreshes: this.#refreshes, demoApi: this.#demo })
  }

  reset(): void {
    this.#calls = {}
    this.#refreshes = []
    this.#seq = 0
    this.#demo = { ok: 0, expired: 0, invalid: 0, missing: 0 }
  }
}
