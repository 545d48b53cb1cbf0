/** Puts a running emulator back to its starting state, wholly or in parts. */
import type { Context } from './context'

export interface ResetScope {
  /** Counters and the refresh log. @default true */
  stats?: boolean
  /** Faults, the clock offset, and the PRNG back to its seed. @default true */
  faults?: boolean
  /** Every issued refresh token and device. @default true */
  tokens?: boolean
  /** The configured users, undoing added, changed and deleted ones. @default true */
  users?: boolean
}

export function resetEmulator(ctx: Context, scope: ResetScope = {}): void {
  if (scope.stats !== false) ctx.stats.reset()
  if (scope.faults !== false) {
    ctx.faults.clear()
    ctx.random.reseed(ctx.config.seed)
  }
  if (scope.tokens !== false) ctx.store.resetTokens()
  if (scope.users !== false) ctx.store.resetUsers()
}
