import { createEmitter, type AuthEvents, type AuthEventType } from '../../src/core/events'
import type { StorageAdapter } from '../../src/core/platform/storage'
import { createSessionSync } from '../../src/core/tabs/sessionSync'
import { createTokenSet, type TokenSet } from '../../src/core/tokens'
import { createChannelHub } from './fakeEnvironment'
import type { ManualClock } from './manualClock'
import { eventTypes, sharedStorage, type RecordedEvent } from './testClient'
import { authResult, type ResultOptions } from './tokens'

export const syncKey = 'react-cognito-refresh.unit'

export interface TokenSetOptions extends ResultOptions {
  sessionId?: string
  version?: number
  signedInAt?: number
}

/** A session's tokens at a given version, built the way a sign-in builds them. */
export function tokenSet(options: TokenSetOptions = {}): TokenSet {
  const { sessionId = 'session-a', version = 1, signedInAt, ...result } = options
  const now = result.now ?? Date.UTC(2026, 10, 21, 12)
  const tokens = createTokenSet(authResult({ ...result, now }), {
    now,
    sessionId,
    ...(signedInAt !== undefined && { signedInAt }),
  })
  return { ...tokens, version }
}

/** The same session `steps` versions later, with a new access token and the same refresh token. */
export function later(tokens: TokenSet, steps = 1): TokenSet {
  const next = tokenSet({
    sessionId: tokens.sessionId,
    signedInAt: tokens.signedInAt,
    version: tokens.version + steps,
    ...(tokens.accessClaims.sub !== undefined && { sub: tokens.accessClaims.sub }),
  })
  return { ...next, refreshToken: tokens.refreshToken }
}

/** An emitter that records every event, with `of(type)` to pick one kind. */
export function recordingEmitter() {
  const emitter = createEmitter()
  const events: RecordedEvent[] = []
  for (const type of eventTypes) {
    emitter.on(type, (event) => events.push({ type, event } as RecordedEvent))
  }
  const of = <K extends AuthEventType>(type: K) =>
    events.filter((e) => e.type === type).map((e) => e.event as AuthEvents[K])
  return { emitter, events, of }
}

export interface SyncOptions {
  clock: ManualClock
  storage?: StorageAdapter
  marker?: StorageAdapter
  hub?: ReturnType<typeof createChannelHub>
  tabId?: string
}

let nextId = 1

/** One tab's SessionSync on fakes: shared storage unless told, a channel of `hub`, no marker. */
export function syncFor(options: SyncOptions) {
  const hub = options.hub ?? createChannelHub()
  const storage = options.storage ?? sharedStorage()
  const channel = hub.channel()
  const recorder = recordingEmitter()
  const tabId = options.tabId ?? `tab-${nextId++}`
  const sync = createSessionSync({
    storage,
    key: syncKey,
    channel,
    clock: options.clock,
    tabId,
    emitter: recorder.emitter,
    randomId: () => `id-${nextId++}`,
    marker: options.marker,
  })
  return { sync, storage, hub, channel, tabId, ...recorder }
}
