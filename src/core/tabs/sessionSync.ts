/**
 * Shared state between tabs: the stored blob (read, compare-and-set, clear) and the channel
 * (broadcast, ask the peers). Knows nothing of refresh policy.
 */
import type { Channel } from '../platform/channel'
import type { Clock } from '../platform/clock'
import type { Emitter, SignOutReason } from '../events'
import { createMessage, parseMessage, type TabMessage } from './messages'
import { type Notes, parseNote } from './notes'
import { memoryStorage, type StorageAdapter } from '../platform/storage'
import {
  parseSession,
  endedBy,
  endReason,
  isTombstone,
  serializeSession,
  serializeTombstone,
} from '../storedSession'
import { isNewer, sameSession, type TokenSet } from '../tokens'
import { versionMarker } from './versionMarker'

export interface SessionSyncOptions {
  storage: StorageAdapter
  key: string
  channel: Channel
  clock: Clock
  tabId: string
  emitter: Emitter
  randomId: () => string
  /**
   * Where a tab-private storage records `{ sessionId, version, signedInAt }` (no tokens) for the
   * other tabs, so that a tab can tell that a newer session exists somewhere and ask for it.
   */
  marker: StorageAdapter | undefined
}

export interface SessionSync {
  /** The stored session, or undefined when there is none we can use. `report` emits storageIgnored. */
  read(options?: { report?: boolean }): TokenSet | undefined
  /** Whether the other tabs see what we store (localStorage that works). */
  shared(): boolean
  /**
   * Writes `tokens` unless storage already holds a newer state (the commit guard). A sign-in passes
   * `replace` and always wins.
   */
  write(tokens: TokenSet, options?: { replace?: boolean }): boolean
  /**
   * The commit guard of a refresh: writes `next` only over an older version of the same session.
   * `gone`: shared storage is empty (a sign-out elsewhere); `replaced`: it holds another session;
   * `stale`: it holds this session at the same or a newer version.
   */
  commit(next: TokenSet): 'ok' | 'gone' | 'replaced' | 'stale'
  /** True when the version marker says another tab holds a newer state of this session. */
  newerElsewhere(tokens: TokenSet): boolean
  /**
   * With private storage: whether the version marker says some tab may hold a session, or (given
   * `tokens`) still holds that very session, so an answer that crossed a sign-out is not adopted.
   */
  sessionElsewhere(tokens?: TokenSet): boolean
  /** What the slot holds: a usable session, nothing, a sign-out's tombstone, or something unusable. */
  slot(): 'session' | 'empty' | 'tombstone' | 'unusable'
  /** Whether storage says this session was signed out (a tombstone), not merely empty. */
  signedOut(tokens: TokenSet): boolean
  /** Why the tombstone that ends this session was left, when it says. */
  endReason(tokens: TokenSet): SignOutReason | undefined
  /** A token-free note for the other tabs (shared storage, else the version marker's). */
  note<K extends keyof Notes>(name: K): Notes[K] | undefined
  setNote<K extends keyof Notes>(name: K, note: Notes[K]): void
  /**
   * The latest sign-in time this tab can see in shared state (the stored session, or the version
   * marker with private storage), 0 when none: a new sign-in must come after it.
   */
  latestSignIn(): number
  /**
   * Clears storage if it still holds `sessionId` (never another tab's newer sign-in), leaving a
   * token-free tombstone naming the ended session and why it ended.
   */
  clear(tokens: TokenSet | null | undefined, reason?: SignOutReason): void
  broadcastTokens(tokens: TokenSet, cause: 'refreshed' | 'signedIn'): void
  broadcastSignOut(sessionId: string | null, reason: SignOutReason): void
  /** Asks the other tabs for their session; the answers reach `listen`'s handler. */
  requestSession(): void
  /** Asks the other tabs for their session; resolves with the newest answer within `timeoutMs`. */
  askPeers(timeoutMs: number): Promise<TokenSet | undefined>
  /** Whether asking the other tabs can help: storage is private, or another tab has spoken. */
  peersWorthAsking(): boolean
  /** Valid messages from other tabs; invalid ones are reported as `messageIgnored`. */
  listen(handler: (message: TabMessage) => void): () => void
}

/** After the first peer answers, how long to wait for a newer one. */
export const peerGraceMs = 50

export function createSessionSync(options: SessionSyncOptions): SessionSync {
  const { key, channel, clock, tabId, emitter } = options
  // Storage that silently drops writes (disabled, full) must not look like a sign-out elsewhere:
  // after a write that does not read back, the session lives in memory for this tab.
  let storage = options.storage
  const persist = (value: string) => {
    storage.setItem(key, value)
    if (storage.getItem(key) === value) return
    storage = memoryStorage()
    storage.setItem(key, value)
    emitter.emit('storageIgnored', { reason: 'unavailable' })
  }

  // The slot is parsed once per value it holds: a refresh reads it several times (before the lock,
  // under it, at the commit), and parsing decodes three JWTs.
  let lastRaw: string | null = null
  let lastParsed = parseSession(null)
  const parsedSlot = () => {
    const raw = storage.getItem(key)
    if (raw !== lastRaw) {
      lastRaw = raw
      lastParsed = parseSession(raw)
    }
    return lastParsed
  }
  const read = ({ report = false } = {}): TokenSet | undefined => {
    const parsed = parsedSlot()
    if (parsed.ok) return parsed.hasRefreshToken ? parsed.tokens : undefined
    if (report && parsed.reason !== 'empty')
      emitter.emit('storageIgnored', { reason: parsed.reason })
    return undefined
  }

  const post = (message: TabMessage) => channel.post(message)
  // Notes go where the other tabs look: shared storage, else the version marker's adapter.
  const notes = () => (storage.shared ? storage : (options.marker ?? storage))
  let peersSeen = false
  const marker = versionMarker(options.marker, key)

  return {
    read,
    shared: () => storage.shared === true,
    signedOut: (tokens) => endedBy(storage.getItem(key), tokens),
    endReason: (tokens) => endReason(storage.getItem(key), tokens),
    slot() {
      const parsed = parsedSlot()
      if (parsed.ok && parsed.hasRefreshToken) return 'session'
      const raw = lastRaw
      if (isTombstone(raw)) return 'tombstone'
      return raw === null || raw === '' ? 'empty' : 'unusable'
    },
    note: (name) => parseNote(name, notes().getItem(`${key}.${name}`)),
    setNote: (name, note) => notes().setItem(`${key}.${name}`, JSON.stringify(note)),
    latestSignIn() {
      return Math.max(read()?.signedInAt ?? 0, marker.read()?.signedInAt ?? 0)
    },
    peersWorthAsking: () => peersSeen || storage.shared !== true,
    commit(next) {
      const stored = read()
      if (stored === undefined) return 'gone'
      if (stored.sessionId !== next.sessionId) return 'replaced'
      // Our session id with another user's tokens is corrupt: ours replaces it.
      if (sameSession(stored, next) && stored.version >= next.version) return 'stale'
      this.write(next, { replace: true })
      return 'ok'
    },
    write(tokens, { replace = false } = {}) {
      const stored = replace ? undefined : read()
      const corrupt = stored?.sessionId === tokens.sessionId && !sameSession(stored, tokens)
      if (stored !== undefined && !corrupt && !isNewer(tokens, stored)) return false
      persist(serializeSession(tokens))
      marker.record(tokens, replace)
      return true
    },
    newerElsewhere(tokens) {
      const marked = marker.read()
      return marked?.sessionId === tokens.sessionId && marked.version > tokens.version
    },
    sessionElsewhere(tokens) {
      const marked = marker.read()
      return marked !== undefined && (tokens === undefined || marked.sessionId === tokens.sessionId)
    },
    clear(tokens, reason) {
      const sessionId = tokens?.sessionId
      const stored = read()
      if (stored === undefined || sessionId === undefined || stored.sessionId === sessionId) {
        // Without a session of our own, the tombstone ends every session signed in until now.
        const ended = tokens ?? { sessionId: '', signedInAt: clock.now() }
        storage.setItem(key, serializeTombstone(ended, reason))
      }
      marker.clear(sessionId)
    },
    broadcastTokens(tokens, cause) {
      post(createMessage(tabId, { type: 'tokens', cause, session: serializeSession(tokens) }))
    },
    broadcastSignOut(sessionId, reason) {
      post(createMessage(tabId, { type: 'signedOut', sessionId, reason }))
    },
    requestSession: () =>
      post(createMessage(tabId, { type: 'sessionRequest', requestId: options.randomId() })),
    askPeers(timeoutMs) {
      // Listens for answers itself, so an unmounted client (a frozen tab waking up) can ask too.
      // Resolves shortly after the first answer (others may hold a newer version), or at timeout.
      const requestId = options.randomId()
      let newest: TokenSet | undefined
      return new Promise((resolve) => {
        let timer = clock.setTimeout(finish, timeoutMs)
        let answered = false
        const stop = channel.subscribe((data) => {
          const parsed = parseMessage(data)
          if (!parsed.ok) return
          const m = parsed.message
          if (m.type !== 'sessionResponse' || m.to !== tabId || m.requestId !== requestId) return
          const session = parseSession(m.session)
          if (!session.ok || !session.hasRefreshToken) return
          if (isNewer(session.tokens, newest)) newest = session.tokens
          if (!answered) {
            answered = true
            clock.clearTimeout(timer)
            timer = clock.setTimeout(finish, Math.min(peerGraceMs, timeoutMs))
          }
        })
        function finish() {
          stop()
          resolve(newest)
        }
        post(createMessage(tabId, { type: 'sessionRequest', requestId }))
      })
    },
    listen(handler) {
      return channel.subscribe((data) => {
        const parsed = parseMessage(data)
        if (!parsed.ok) {
          emitter.emit('messageIgnored', { reason: parsed.reason })
          return
        }
        const message = parsed.message
        if (message.from === tabId) return
        peersSeen = true
        if (message.type !== 'sessionResponse' || message.to === tabId) handler(message)
      })
    },
  }
}
