/**
 * Property-based tests of the cross-tab invariants (design §1) over random schedules of 2 to 8
 * tabs: time passes, tabs refresh, read, sign in and out, reload, open and close, messages are
 * held, delayed and reordered; in the faulty runs tabs also close mid-refresh, the server fails,
 * locks stall or are missing and messages are lost.
 *
 * Replay a failure with the seed (and path) fast-check prints: RCR_FC_SEED=<seed> npx vitest run
 * test/core/tabs. Failure messages describe tokens as session/version labels (`s2v5`), never values.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMultiTab, type MultiTab } from '../../helpers/multiTab'
import { seededRandom } from '../../helpers/testClient'
import { type Command, faultyCommand, normalCommand, run } from './commands'

const seed = process.env.RCR_FC_SEED === undefined ? 20_261_121 : Number(process.env.RCR_FC_SEED)
const numRuns = Number(process.env.RCR_FC_RUNS ?? 100)

interface Scenario {
  tabs: number
  graceSeconds: number
  commands: Command[]
  seed: number
}

const scenario = (command: fc.Arbitrary<Command>) =>
  fc.record({
    tabs: fc.integer({ min: 2, max: 8 }),
    graceSeconds: fc.constantFrom(0, 0, 5, 30),
    commands: fc.array(command, { minLength: 1, maxLength: 40 }),
    seed: fc.nat(1_000_000),
  })

/** Plays a scenario and returns the harness after quiescence, for the checks. */
async function play(s: Scenario, mode: 'shared' | 'memory', racy: boolean): Promise<MultiTab> {
  const h = createMultiTab({
    tabs: s.tabs,
    graceSeconds: s.graceSeconds,
    seed: s.seed,
    mode,
    promptSessionEvents: !racy,
  })
  for (let i = 0; i < s.tabs; i++) h.open()
  await h.signIn(h.tabs[0]!)
  const random = seededRandom(s.seed + 7)
  for (const command of s.commands) await run(h, command, random)
  await h.quiesce()
  return h
}

/** No refresh token was exchanged twice (a grace-period retry counts), and none was refused as reused. */
function refreshesPerVersion(h: MultiTab): string[] {
  const problems: string[] = []
  const seen = new Map<string, number>()
  for (const call of h.server.calls) {
    if (call.outcome === 'notAuthorized') continue // a revoked session: one failure, no refresh
    const key = `f${call.family}#${call.position}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
    if (call.outcome === 'reuse' || call.outcome === 'grace')
      problems.push(`${key}: ${call.outcome} by caller ${call.caller} at t=${call.at}`)
  }
  for (const [key, count] of seen) if (count > 1) problems.push(`${key} exchanged ${count} times`)
  return problems
}

function report(h: MultiTab, extra: string[] = []): string[] {
  return [...h.violations, ...h.convergence(), ...extra]
}

const check = (
  mode: 'shared' | 'memory',
  command: fc.Arbitrary<Command>,
  { strict = false, racy = false } = {},
) =>
  fc.asyncProperty(scenario(command), async (s) => {
    const h = await play(s, mode, racy)
    try {
      const problems = report(h, strict ? refreshesPerVersion(h) : [])
      expect(problems, `${problems.length} problem(s)`).toEqual([])
    } finally {
      h.dispose()
    }
  })

const options = { seed, numRuns, endOnFailure: true, verbose: 1 } as const

describe('cross-tab properties (shared localStorage)', () => {
  it('without failures: one refresh per token version, monotonic versions, convergence', async () => {
    await fc.assert(check('shared', normalCommand, { strict: true }), options)
  })

  it('with failures: monotonic versions, no sign-out without a terminal answer, convergence', async () => {
    await fc.assert(check('shared', faultyCommand), options)
  })
})

describe('cross-tab properties with racing session messages', () => {
  // Sign-in and sign-out messages that cross each other or land after a refresh reply: this found
  // core bugs A and B (test/core/tabs/regressions.test.ts), since fixed.
  it('with failures and racing sign-ins/outs: the same invariants', async () => {
    await fc.assert(check('shared', faultyCommand, { racy: true }), options)
  })
})

describe('cross-tab properties (memory-only with a version marker)', () => {
  it('without failures: monotonic versions, convergence', async () => {
    await fc.assert(check('memory', normalCommand), { ...options, numRuns: numRuns / 2 })
  })
})
