import { type AuthClient, createAuthClient } from '../../src/core/client/authClient'
import { isAuthError } from '../../src/core/errors'
import { memoryStorage, type StorageAdapter } from '../../src/core/platform/storage'
import { isTombstone, parseSession } from '../../src/core/storedSession'
import type { TokenSet } from '../../src/core/tokens'
import { createControlledHub } from './controlledHub'
import { createManualLifecycle } from './fakeEnvironment'
import { flush, ManualClock } from './manualClock'
import { createRotatingServer, type CallOutcome } from './rotatingServer'
import { eventTypes, type RecordedEvent, seededRandom, sharedStorage } from './testClient'
import { createTimedLockManager } from './timedLockManager'

/**
 * N tabs of one browser in one process: real clients on a manual clock, sharing a lock manager
 * (with timeouts and tab closes), a channel hub (with held, delayed, reordered and dropped
 * messages) and either localStorage (`shared`) or tab-private memory with a version marker
 * (`memory`), all talking to one rotating fake Cognito. It watches the invariants of design §1
 * as the run goes and collects violations as plain sentences (no token material).
 */
export interface MultiTabOptions {
  tabs: number
  mode?: 'shared' | 'memory'
  /** Access-token lifetime in seconds. @default 20 */
  expiresIn?: number
  /** The server's RetryGracePeriodSeconds. @default 0 */
  graceSeconds?: number
  seed?: number
  lockTimeoutMs?: number
  peerTimeoutMs?: number
  /**
   * Users act one at a time, as people do: sign-in, sign-out and session-request messages are
   * never held, delayed or dropped, and no refresh reply is on the wire when a user signs in or
   * out. Refresh messages still suffer every fault. Off: anything may race anything.
   * @default false
   */
  promptSessionEvents?: boolean
}

const isSessionMessage = (message: unknown): boolean => {
  const m = message as { type?: unknown; cause?: unknown } | null
  return (
    m?.type === 'signedOut' ||
    m?.type === 'sessionRequest' ||
    m?.type === 'sessionResponse' ||
    (m?.type === 'tokens' && m.cause === 'signedIn')
  )
}

export interface Tab {
  /** A unique number per client instance: a reload makes a new one. */
  readonly instance: number
  readonly client: AuthClient
  alive: boolean
  readonly events: RecordedEvent[]
  /** The server answers this instance heard, in order. */
  readonly answers: CallOutcome[]
  /** Access tokens handed out by getAccessToken, as [JWT exp (ms), time of return]. */
  readonly reads: Array<[number, number]>
  holdNext(mode: 'early' | 'late' | undefined): void
  readonly pending: { settle(): void; abandon(processed: boolean): void } | undefined
}

const terminalOutcomes: ReadonlySet<CallOutcome> = new Set([
  'reuse',
  'notAuthorized',
  'injectedTerminal',
])

export const storageKey = 'react-cognito-refresh.multitab'

export function createMultiTab(options: MultiTabOptions) {
  const mode = options.mode ?? 'shared'
  const seed = options.seed ?? 1
  const clock = new ManualClock()
  const server = createRotatingServer({
    now: clock.now,
    expiresIn: options.expiresIn ?? 20,
    graceSeconds: options.graceSeconds ?? 0,
  })
  const hub = createControlledHub(clock, seededRandom(seed + 1))
  const locks = createTimedLockManager(clock)
  const violations: string[] = []
  const tabs: Tab[] = []
  const prompt = options.promptSessionEvents ?? false
  if (prompt) hub.setUrgent(isSessionMessage)
  /** Before a user's sign-in or sign-out: let replies on the wire land (prompt mode). */
  const settleReplies = async () => {
    if (!prompt) return
    for (const tab of tabs) if (tab.alive) tab.pending?.settle()
    await flush()
  }

  /** Sign-in order and token family of every session id, and which sessions ended. */
  const sessions = new Map<string, { order: number; family: number }>()
  const ended = new Map<string, string>()
  /** Set during `setSession()`: the one new session id seen then is this sign-in's. */
  let signingIn: { order: number; family: number } | undefined
  const orderOf = (sessionId: string): number => {
    if (!sessions.has(sessionId) && signingIn !== undefined) sessions.set(sessionId, signingIn)
    return sessions.get(sessionId)?.order ?? 0
  }
  const label = (sessionId: string | undefined) =>
    sessionId === undefined ? 'none' : `s${orderOf(sessionId) || '?'}`
  const describe = (tokens: TokenSet | null | undefined) =>
    tokens ? `${label(tokens.sessionId)}v${tokens.version}` : 'none'

  // localStorage (shared mode), or the token-free version marker (memory mode).
  const shared = sharedStorage()
  const watched: StorageAdapter & { map: Map<string, string> } = {
    map: shared.map,
    shared: mode === 'shared',
    getItem: shared.getItem,
    removeItem: shared.removeItem,
    setItem(key, value) {
      if (key === storageKey && mode === 'shared') checkStorageWrite(value)
      shared.setItem(key, value)
    },
  }

  function checkStorageWrite(value: string) {
    if (isTombstone(value)) return // sign-out: the session's id and no token
    const next = parseSession(value)
    if (!next.ok) return void violations.push('storage: wrote an unreadable session')
    const before = parseSession(shared.getItem(storageKey))
    const previous = before.ok ? before.tokens : undefined
    const incoming = next.tokens
    const endedWhy = ended.get(incoming.sessionId)
    if (endedWhy !== undefined) {
      violations.push(
        `storage: ${describe(incoming)} written after that session ended (${endedWhy}) at t=${clock.now()}`,
      )
    }
    if (previous === undefined) return
    if (previous.sessionId === incoming.sessionId) {
      if (incoming.version <= previous.version) {
        violations.push(`storage: ${describe(incoming)} written over ${describe(previous)}`)
      }
    } else if (orderOf(incoming.sessionId) < orderOf(previous.sessionId)) {
      violations.push(`storage: older session ${describe(incoming)} over ${describe(previous)}`)
    }
  }

  let instances = 0
  function open(): Tab {
    const instance = ++instances
    const handle = server.transportFor(instance)
    const answers: CallOutcome[] = []
    const transport = {
      ...handle.transport,
      async refresh(...args: Parameters<typeof handle.transport.refresh>) {
        const before = server.calls.length
        try {
          return await handle.transport.refresh(...args)
        } finally {
          const call = server.calls.slice(before).find((c) => c.caller === instance)
          if (call !== undefined) answers.push(call.outcome)
        }
      },
    }
    const client = createAuthClient({
      clientId: 'multitab',
      storageKey,
      transport,
      storage: mode === 'shared' ? watched : memoryStorage(),
      ...(mode === 'memory' && { versionMarker: watched }),
      environment: {
        lock: locks.forTab(instance),
        channel: hub.channel(),
        lifecycle: createManualLifecycle().lifecycle,
        clock,
        random: seededRandom(seed * 1000 + instance),
      },
      // The harness's 20 s tokens are far below Cognito's 5 minutes: keep the floor below them.
      minRefreshIntervalMs: 1_000,
      ...(options.lockTimeoutMs !== undefined && { lockTimeoutMs: options.lockTimeoutMs }),
      ...(options.peerTimeoutMs !== undefined && { peerTimeoutMs: options.peerTimeoutMs }),
    })
    const events: RecordedEvent[] = []
    const tab: Tab = {
      instance,
      client,
      alive: true,
      events,
      answers,
      reads: [],
      holdNext: (m) => handle.holdNext(m),
      get pending() {
        return handle.pending
      },
    }
    let last: TokenSet | undefined
    const signedOutOf = new Set<string>()
    for (const type of eventTypes) {
      client.on(type, (event) => {
        events.push({ type, event } as RecordedEvent)
        if (type !== 'signedOut') return
        const e = event as RecordedEvent & { reason: string; fromOtherTab: boolean }
        const session = last?.sessionId
        if (session !== undefined) signedOutOf.add(session)
        checkSignOut(tab, e.reason, e.fromOtherTab, session)
      })
    }
    client.subscribe(() => {
      const tokens = client.getSnapshot().tokens
      if (tokens === null || tokens === last) return
      if (last !== undefined && last.sessionId === tokens.sessionId) {
        if (tokens.version < last.version) {
          violations.push(
            `tab#${instance}: went back from ${describe(last)} to ${describe(tokens)}`,
          )
        }
      } else if (last !== undefined && orderOf(tokens.sessionId) < orderOf(last.sessionId)) {
        violations.push(
          `tab#${instance}: switched from ${describe(last)} to older ${describe(tokens)}`,
        )
      }
      last = tokens
    })
    client.mount()
    tabs.push(tab)
    return tab
  }

  function checkSignOut(tab: Tab, reason: string, fromOtherTab: boolean, session?: string) {
    if (reason === 'signOut') return
    if (reason === 'noSession') {
      // Only a start without any session may say so.
      if (session !== undefined)
        violations.push(`tab#${tab.instance}: ${label(session)} ended as noSession`)
      return
    }
    if (fromOtherTab) {
      if (session !== undefined && !ended.has(session)) {
        violations.push(
          `tab#${tab.instance}: told to end ${label(session)} (${reason}) though no tab had ended it`,
        )
      }
      return
    }
    const heard = tab.answers.at(-1)
    if (heard === undefined || !terminalOutcomes.has(heard)) {
      violations.push(
        `tab#${tab.instance}: signed out (${reason}) without a terminal answer (last: ${heard ?? 'none'})`,
      )
    }
    if (session !== undefined && !ended.has(session)) ended.set(session, reason)
  }

  function close(tab: Tab) {
    if (!tab.alive) return
    tab.alive = false
    tab.client.dispose()
    locks.closeTab(tab.instance)
  }

  return {
    mode,
    clock,
    server,
    hub,
    locks,
    storage: watched,
    tabs,
    violations,
    describe,
    live: () => tabs.filter((t) => t.alive),
    open,
    close,
    /** A reload: the page goes away and a new client starts on the same storage. */
    reload(tab: Tab): Tab {
      close(tab)
      return open()
    },
    async signIn(tab: Tab): Promise<TokenSet> {
      await settleReplies()
      const { result, family } = server.signIn()
      signingIn = { order: family, family }
      try {
        const tokens = tab.client.setSession(result)
        orderOf(tokens.sessionId)
        return tokens
      } finally {
        signingIn = undefined
        if (prompt) await flush()
      }
    },
    async signOut(tab: Tab) {
      await settleReplies()
      const tokens = tab.client.getSnapshot().tokens
      if (tokens !== null) ended.set(tokens.sessionId, 'signOut')
      // Signing out with no session of its own tells every tab to sign out, whatever they hold.
      else for (const id of sessions.keys()) if (!ended.has(id)) ended.set(id, 'signOut')
      await tab.client.signOut()
      if (prompt) await flush()
    },
    /** getAccessToken, not awaited by the caller: it may wait for a lock or a refresh. */
    read(tab: Tab): Promise<void> {
      return tab.client.getAccessToken().then(
        (token) => {
          const exp = (
            JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
              exp: number
            }
          ).exp
          tab.reads.push([exp * 1000, clock.now()])
          if (exp * 1000 <= clock.now()) {
            violations.push(`tab#${tab.instance}: getAccessToken returned an expired token`)
          }
        },
        (error: unknown) => {
          if (!isAuthError(error)) violations.push(`tab#${tab.instance}: non-AuthError rejection`)
        },
      )
    },
    refresh(tab: Tab): Promise<unknown> {
      return tab.client.refresh({ force: true }).catch(() => undefined)
    },
    /**
     * Closes a tab while its refresh is on the wire. `processed`: the server handled the request
     * (the rotated token is lost with the page) or never saw it. Returns false when the tab made
     * no call (it adopted a newer state from storage, or could not get the lock).
     */
    async closeMidRefresh(tab: Tab, processed: boolean): Promise<boolean> {
      tab.holdNext(processed ? 'early' : 'late')
      void this.refresh(tab)
      await flush()
      tab.holdNext(undefined)
      const pending = tab.pending
      close(tab)
      if (pending === undefined) return false
      pending.abandon(processed)
      return true
    },
    /** Everything back to normal, then `ms` of quiet time so retries, timers and messages land. */
    async quiesce(ms = 180_000) {
      server.setTransientRate(0)
      locks.setSupported(true)
      hub.setDropRate(0)
      hub.setDelay(undefined)
      hub.release('fifo')
      for (const tab of tabs) if (tab.alive) tab.pending?.settle()
      await clock.advance(ms)
    },
    /** Every live tab on the same state, the one in shared storage (or all signed out). */
    convergence(): string[] {
      const problems: string[] = []
      const live = tabs.filter((t) => t.alive)
      const states = live.map((t) => {
        const s = t.client.getSnapshot()
        return s.tokens ? describe(s.tokens) : s.status
      })
      let expected: string
      if (mode === 'shared') {
        const stored = parseSession(shared.getItem(storageKey))
        expected = stored.ok ? describe(stored.tokens) : 'unauthenticated'
      } else expected = states[0] ?? 'unauthenticated'
      live.forEach((t, i) => {
        if (states[i] !== expected)
          problems.push(`tab#${t.instance} holds ${states[i]}, expected ${expected}`)
      })
      return problems
    },
    dispose() {
      for (const tab of tabs) close(tab)
    },
  }
}

export type MultiTab = ReturnType<typeof createMultiTab>
