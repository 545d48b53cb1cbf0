import { createAuthClient, type AuthClientOptions } from '../../src/core/client/authClient'
import type { Environment } from '../../src/core/client/options'
import type { AuthEvents, AuthEventType } from '../../src/core/events'
import { noLock } from '../../src/core/platform/lock'
import type { StorageAdapter } from '../../src/core/platform/storage'
import { createChannelHub, createManualLifecycle } from './fakeEnvironment'
import { createFakeTransport, type FakeTransportOptions } from './fakeTransport'
import { ManualClock } from './manualClock'

/** Deterministic random numbers (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A Map-backed storage that says it is shared, like localStorage across tabs. */
export function sharedStorage(
  map = new Map<string, string>(),
): StorageAdapter & { map: Map<string, string> } {
  return {
    map,
    shared: true,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  }
}

export const eventTypes: AuthEventType[] = [
  'tokensRefreshed',
  'tokensAdopted',
  'refreshFailed',
  'signedIn',
  'signedOut',
  'sessionReplaced',
  'storageIgnored',
  'messageIgnored',
  'lockUnavailable',
  'refreshDiscarded',
  'revokeFailed',
  'sessionExpiring',
]

export type RecordedEvent = {
  [K in AuthEventType]: { type: K; event: AuthEvents[K] }
}[AuthEventType]

/** The client's options, with the environment's seams also accepted at the top (a test shorthand). */
export interface SetupOptions
  extends Partial<AuthClientOptions>, Omit<Environment, 'clock'>, FakeTransportOptions {
  clock?: ManualClock
  seed?: number
}

let nextSeed = 7

/** One client on fakes: manual clock, fake transport, shared storage, channel hub, no lock. */
export function setup(options: SetupOptions = {}) {
  const clock = options.clock ?? new ManualClock()
  const transport =
    (options.transport as ReturnType<typeof createFakeTransport> | undefined) ??
    createFakeTransport({ now: clock.now, ...options })
  const storage =
    (options.storage as ReturnType<typeof sharedStorage> | undefined) ?? sharedStorage()
  const life = createManualLifecycle()
  const hub = createChannelHub()
  const channel = options.channel ?? hub.channel()
  const { lock, random, lifecycle, channel: _channel, clock: _clock, ...rest } = options
  const client = createAuthClient({
    clientId: 'testclient',
    ...rest,
    transport,
    storage,
    environment: {
      lock: lock ?? noLock,
      random: random ?? seededRandom(options.seed ?? nextSeed++),
      lifecycle: lifecycle ?? life.lifecycle,
      ...options.environment,
      clock,
      channel,
    },
  })
  const events: RecordedEvent[] = []
  for (const type of eventTypes) {
    client.on(type, (event) => events.push({ type, event } as RecordedEvent))
  }
  const of = <K extends AuthEventType>(type: K) =>
    events.filter((e) => e.type === type).map((e) => e.event as AuthEvents[K])
  /** Sign-outs of a session: without the `noSession` a start without one reports. */
  const signOuts = () => of('signedOut').filter((e) => e.reason !== 'noSession')
  return { client, clock, transport, storage, life, hub, channel, events, of, signOuts }
}
