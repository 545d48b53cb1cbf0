import fc from 'fast-check'
import type { ReleaseOrder } from '../../helpers/controlledHub'
import { flush } from '../../helpers/manualClock'
import { type MultiTab, storageKey, type Tab } from '../../helpers/multiTab'

/**
 * The steps of a random cross-tab schedule, as plain data so fast-check can shrink and print them.
 * `tab` picks among the live tabs modulo their number.
 */
export type Command =
  | { t: 'advance'; ms: number }
  | { t: 'refresh'; tab: number }
  | { t: 'read'; tab: number }
  | { t: 'signIn'; tab: number }
  | { t: 'signOut'; tab: number }
  | { t: 'reload'; tab: number }
  | { t: 'open' }
  | { t: 'close'; tab: number }
  | { t: 'delays'; maxMs: number }
  | { t: 'hold' }
  | { t: 'release'; order: ReleaseOrder }
  // faults
  | { t: 'closeMidRefresh'; tab: number; processed: boolean }
  | { t: 'slowRefresh'; tab: number }
  | { t: 'settle' }
  | { t: 'transient'; rate: number }
  | { t: 'lockStall'; ms: number }
  | { t: 'locks'; supported: boolean }
  | { t: 'drop'; rate: number }

const tab = fc.nat(7)
const advance = fc.oneof(
  fc.integer({ min: 1, max: 500 }),
  fc.integer({ min: 500, max: 12_000 }),
  fc.integer({ min: 12_000, max: 40_000 }),
)

/** What happens in a browser that works: tabs come and go, users act, messages are slow. */
export const normalCommand: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: advance.map((ms) => ({ t: 'advance' as const, ms })), weight: 8 },
  { arbitrary: tab.map((tab) => ({ t: 'refresh' as const, tab })), weight: 3 },
  { arbitrary: tab.map((tab) => ({ t: 'read' as const, tab })), weight: 3 },
  { arbitrary: tab.map((tab) => ({ t: 'signIn' as const, tab })), weight: 1 },
  { arbitrary: tab.map((tab) => ({ t: 'signOut' as const, tab })), weight: 1 },
  { arbitrary: tab.map((tab) => ({ t: 'reload' as const, tab })), weight: 2 },
  { arbitrary: fc.constant({ t: 'open' as const }), weight: 1 },
  { arbitrary: tab.map((tab) => ({ t: 'close' as const, tab })), weight: 1 },
  {
    arbitrary: fc.integer({ min: 0, max: 2_000 }).map((maxMs) => ({ t: 'delays' as const, maxMs })),
    weight: 1,
  },
  { arbitrary: fc.constant({ t: 'hold' as const }), weight: 1 },
  {
    arbitrary: fc
      .constantFrom<ReleaseOrder>('fifo', 'shuffle')
      .map((order) => ({ t: 'release' as const, order })),
    weight: 1,
  },
)

/** Everything above plus failures: closed tabs mid-call, 5xx, stuck or missing locks, lost messages. */
export const faultyCommand: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: normalCommand, weight: 12 },
  {
    arbitrary: fc
      .record({ tab, processed: fc.boolean() })
      .map((c) => ({ t: 'closeMidRefresh' as const, ...c })),
    weight: 2,
  },
  { arbitrary: tab.map((tab) => ({ t: 'slowRefresh' as const, tab })), weight: 1 },
  { arbitrary: fc.constant({ t: 'settle' as const }), weight: 1 },
  {
    arbitrary: fc.constantFrom(0, 0.3, 1).map((rate) => ({ t: 'transient' as const, rate })),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: 1_000, max: 30_000 })
      .map((ms) => ({ t: 'lockStall' as const, ms })),
    weight: 1,
  },
  { arbitrary: fc.boolean().map((supported) => ({ t: 'locks' as const, supported })), weight: 1 },
  {
    arbitrary: fc.constantFrom(0, 0.2).map((rate) => ({ t: 'drop' as const, rate })),
    weight: 1,
  },
)

/** Runs one command against the harness. */
export async function run(h: MultiTab, command: Command, random: () => number): Promise<void> {
  const live = h.live()
  const pick = (i: number): Tab | undefined => live[i % Math.max(1, live.length)]
  switch (command.t) {
    case 'advance':
      return h.clock.advance(command.ms)
    case 'open':
      h.open()
      return
    case 'delays':
      h.hub.setDelay(command.maxMs === 0 ? undefined : () => Math.floor(random() * command.maxMs))
      return
    case 'hold':
      h.hub.hold()
      return
    case 'release':
      h.hub.release(command.order)
      return
    case 'settle':
      for (const t of live) t.pending?.settle()
      return
    case 'transient':
      h.server.setTransientRate(command.rate, random)
      return
    case 'lockStall':
      h.locks.stall(`${storageKey}.refresh`, command.ms)
      return
    case 'locks':
      h.locks.setSupported(command.supported)
      return
    case 'drop':
      h.hub.setDropRate(command.rate)
      return
  }
  const target = pick(command.tab)
  if (target === undefined) {
    h.open()
    return
  }
  switch (command.t) {
    case 'refresh':
      void h.refresh(target)
      return
    case 'read':
      void h.read(target)
      return
    case 'signIn':
      await h.signIn(target)
      return
    case 'signOut':
      return h.signOut(target)
    case 'reload':
      // A tab that is idle: replies on their way land first (closing mid-call is a fault, below).
      await flush()
      h.reload(target)
      return
    case 'close':
      await flush()
      // Keep one tab open so there is a browser to converge.
      if (live.length > 1) h.close(target)
      return
    case 'closeMidRefresh':
      await h.closeMidRefresh(target, command.processed)
      if (h.live().length === 0) h.open()
      return
    case 'slowRefresh':
      if (target.pending === undefined) {
        target.holdNext('early')
        void h.refresh(target)
        await flush()
        target.holdNext(undefined)
      }
      return
  }
}
