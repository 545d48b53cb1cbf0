/** The state every handler shares. One context per running emulator; nothing is global. */
import type { ResolvedClient, ResolvedConfig } from './config'
import type { FaultController } from './faults'
import type { Random } from './random'
import type { StatsRecorder } from './stats'
import type { Store } from './store'
import type { SigningKeys } from './tokens'

export interface Context {
  readonly config: ResolvedConfig
  readonly store: Store
  readonly keys: SigningKeys
  readonly faults: FaultController
  readonly stats: StatsRecorder
  readonly random: Random
  /** `http://host:port`, known once the server listens. */
  baseUrl: string
  log: ((line: string) => void) | undefined
}

/** The emulator clock: real time plus the configured skew, so tests move time without sleeping. */
export function now(ctx: Context): number {
  return Date.now() + ctx.faults.clockOffsetMs
}

export function issuerOf(ctx: Context): string {
  return `${ctx.baseUrl}/${ctx.config.userPoolId}`
}

export function findClient(ctx: Context, clientId: string): ResolvedClient | undefined {
  return ctx.config.clients.find((client) => client.clientId === clientId)
}
