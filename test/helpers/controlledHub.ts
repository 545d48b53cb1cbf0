import type { Channel } from '../../src/core/platform/channel'
import type { Clock } from '../../src/core/platform/clock'

/**
 * A BroadcastChannel stand-in whose delivery the test controls: messages can be held and released
 * later (in order, reversed or shuffled across senders), delayed on the manual clock, or dropped.
 *
 * The real channel keeps the order of messages from one sender to one receiver; messages of
 * different senders may interleave in any order. `delayed` and `release('shuffle')` keep that
 * guarantee; `release('reverse')` breaks it on purpose, as a harsher fault.
 */
export type ReleaseOrder = 'fifo' | 'reverse' | 'shuffle'

interface Member {
  id: number
  listeners: Set<(message: unknown) => void>
  closed: boolean
}

interface Envelope {
  from: Member
  to: Member
  message: unknown
}

export interface HubStats {
  posted: number
  delivered: number
  dropped: number
}

export function createControlledHub(clock: Clock, random: () => number = Math.random) {
  const members = new Set<Member>()
  const held: Envelope[] = []
  /** When the last message on each sender→receiver pair is due, so delays never reorder a pair. */
  const pairDue = new Map<string, number>()
  const stats: HubStats = { posted: 0, delivered: 0, dropped: 0 }
  let nextId = 1
  let holding = false
  let delayMs: (() => number) | undefined
  let dropRate = 0
  let pendingTimers = 0
  let urgent: (message: unknown) => boolean = () => false

  const deliver = (envelope: Envelope) => {
    if (envelope.to.closed) return
    stats.delivered++
    for (const listener of [...envelope.to.listeners]) listener(structuredClone(envelope.message))
  }

  const route = (envelope: Envelope) => {
    if (urgent(envelope.message)) {
      queueMicrotask(() => deliver(envelope))
      return
    }
    if (dropRate > 0 && random() < dropRate) {
      stats.dropped++
      return
    }
    if (holding) {
      held.push(envelope)
      return
    }
    if (delayMs === undefined) {
      queueMicrotask(() => deliver(envelope))
      return
    }
    const pair = `${envelope.from.id}>${envelope.to.id}`
    const due = Math.max(clock.now() + delayMs(), pairDue.get(pair) ?? 0)
    pairDue.set(pair, due)
    pendingTimers++
    clock.setTimeout(() => {
      pendingTimers--
      deliver(envelope)
    }, due - clock.now())
  }

  return {
    stats,
    channel(): Channel & { readonly id: number } {
      const self: Member = { id: nextId++, listeners: new Set(), closed: false }
      members.add(self)
      return {
        id: self.id,
        post(message) {
          if (self.closed) return
          stats.posted++
          const copy = structuredClone(message)
          for (const other of members) {
            if (other !== self && !other.closed) route({ from: self, to: other, message: copy })
          }
        },
        subscribe(listener) {
          self.listeners.add(listener)
          return () => void self.listeners.delete(listener)
        },
        close() {
          self.closed = true
          self.listeners.clear()
          members.delete(self)
        },
      }
    },
    /** Keeps every message from now on until `release()`. */
    hold() {
      holding = true
    },
    /** Delivers the held messages (each in its own microtask) and stops holding. */
    release(order: ReleaseOrder = 'fifo') {
      holding = false
      const batch = held.splice(0)
      if (order === 'reverse') batch.reverse()
      if (order === 'shuffle') shuffleAcrossSenders(batch, random)
      for (const envelope of batch) queueMicrotask(() => deliver(envelope))
    },
    /** Delays each message by `delay()` ms of the clock (undefined: next microtask). */
    setDelay(delay: (() => number) | undefined) {
      delayMs = delay
    },
    setDropRate(rate: number) {
      dropRate = rate
    },
    /** Messages for which `predicate` is true skip holds, delays and drops. */
    setUrgent(predicate: (message: unknown) => boolean) {
      urgent = predicate
    },
    get heldCount() {
      return held.length
    },
    /** Messages still on their way (held or waiting on a delay timer). */
    get inFlight() {
      return held.length + pendingTimers
    },
    /** Sends a message as if from another library or tab. */
    inject(message: unknown) {
      for (const member of members) member.listeners.forEach((l) => l(message))
    },
  }
}

export type ControlledHub = ReturnType<typeof createControlledHub>

/** Interleaves the senders' queues at random while keeping each sender→receiver pair in order. */
function shuffleAcrossSenders(batch: Envelope[], random: () => number): void {
  const queues = new Map<string, Envelope[]>()
  for (const envelope of batch) {
    const pair = `${envelope.from.id}>${envelope.to.id}`
    const queue = queues.get(pair)
    if (queue === undefined) queues.set(pair, [envelope])
    else queue.push(envelope)
  }
  batch.length = 0
  const open = [...queues.values()]
  while (open.length > 0) {
    const index = Math.floor(random() * open.length)
    const queue = open[index]!
    batch.push(queue.shift()!)
    if (queue.length === 0) open.splice(index, 1)
  }
}
