import { describe, expect, it } from 'vitest'
import { memoryStorage, type StorageAdapter } from '../../../src/core/platform/storage'
import { parseSession, serializeSession } from '../../../src/core/storedSession'
import { ManualClock } from '../../helpers/manualClock'
import { later, syncFor, syncKey, tokenSet } from '../../helpers/syncParts'
import { sharedStorage } from '../../helpers/testClient'

const mallory = '99999999-8888-4777-8666-555555555555'

const stored = (storage: StorageAdapter) => parseSession(storage.getItem(syncKey))
const storedVersion = (storage: StorageAdapter) => {
  const parsed = stored(storage)
  return parsed.ok ? `${parsed.tokens.sessionId}@${parsed.tokens.version}` : parsed.reason
}

describe('sessionSync: versioned writes', () => {
  it('an older or equal version never overwrites a newer one; a newer one does', () => {
    const { sync, storage } = syncFor({ clock: new ManualClock() })
    const v1 = tokenSet({ version: 1 })
    const v2 = later(v1)
    expect(sync.write(v2)).toBe(true)
    expect(sync.write(v1)).toBe(false)
    expect(storedVersion(storage)).toBe('session-a@2')
    expect(sync.write({ ...later(v1), accessToken: v1.accessToken })).toBe(false) // equal version
    expect(stored(storage).ok && stored(storage)).toMatchObject({ tokens: v2Shape(v2) })
    expect(sync.write(later(v2))).toBe(true)
    expect(storedVersion(storage)).toBe('session-a@3')
  })

  it('a later sign-in replaces an earlier one, not the reverse; `replace` always wins', () => {
    const { sync, storage } = syncFor({ clock: new ManualClock() })
    const early = tokenSet({ sessionId: 'early', signedInAt: 1_000, version: 5 })
    const late = tokenSet({ sessionId: 'late', signedInAt: 2_000 })
    expect(sync.write(late)).toBe(true)
    expect(sync.write(early)).toBe(false)
    expect(storedVersion(storage)).toBe('late@1')
    expect(sync.write(early, { replace: true })).toBe(true)
    expect(storedVersion(storage)).toBe('early@5')
  })

  it("our session id holding another user's tokens is corrupt: our write replaces it", () => {
    const { sync, storage } = syncFor({ clock: new ManualClock() })
    const ours = tokenSet({ version: 1 })
    sync.write(tokenSet({ version: 9, sub: mallory }), { replace: true })
    expect(sync.write(ours)).toBe(true)
    expect(storedVersion(storage)).toBe('session-a@1')
  })

  it('commit: ok over an older version, stale over the same or newer, gone, replaced', () => {
    const { sync, storage } = syncFor({ clock: new ManualClock() })
    const v1 = tokenSet()
    expect(sync.commit(later(v1))).toBe('gone')
    expect(storage.getItem(syncKey)).toBeNull() // gone writes nothing
    sync.write(v1)
    expect(sync.commit(later(v1))).toBe('ok')
    expect(storedVersion(storage)).toBe('session-a@2')
    expect(sync.commit(later(v1))).toBe('stale')
    expect(sync.commit(v1)).toBe('stale')
    sync.write(tokenSet({ sessionId: 'other', signedInAt: v1.signedInAt + 1 }))
    expect(sync.commit(later(v1, 5))).toBe('replaced')
    expect(storedVersion(storage)).toBe('other@1')
  })
})

/** The members of a TokenSet that survive a round trip through storage. */
function v2Shape(tokens: ReturnType<typeof tokenSet>) {
  const { accessToken, refreshToken, version, sessionId } = tokens
  return { accessToken, refreshToken, version, sessionId }
}

describe('sessionSync: sign-out tombstones', () => {
  it('clear leaves a token-free tombstone that ends the session and says why', () => {
    const { sync, storage } = syncFor({ clock: new ManualClock() })
    const tokens = tokenSet()
    sync.write(tokens)
    sync.clear(tokens, 'rejected')
    const raw = storage.getItem(syncKey)!
    expect(raw).not.toContain(tokens.refreshToken)
    expect(raw).not.toContain(tokens.accessToken)
    expect(sync.read()).toBeUndefined()
    expect(sync.slot()).toBe('tombstone')
    expect(sync.signedOut(tokens)).toBe(true)
    expect(sync.endReason(tokens)).toBe('rejected')
    // A session signed in before the ended one is over too; a later sign-in is not.
    expect(
      sync.signedOut(tokenSet({ sessionId: 'older', signedInAt: tokens.signedInAt - 1 })),
    ).toBe(true)
    const newer = tokenSet({ sessionId: 'newer', signedInAt: tokens.signedInAt + 1 })
    expect(sync.signedOut(newer)).toBe(false)
    expect(sync.endReason(newer)).toBeUndefined()
    expect(sync.write(newer)).toBe(true)
  })

  it("clear never removes another tab's newer sign-in", () => {
    const { sync, storage } = syncFor({ clock: new ManualClock() })
    const ours = tokenSet({ sessionId: 'ours', signedInAt: 1_000 })
    sync.write(tokenSet({ sessionId: 'theirs', signedInAt: 2_000 }))
    sync.clear(ours, 'signOut')
    expect(storedVersion(storage)).toBe('theirs@1')
    expect(sync.signedOut(ours)).toBe(false)
  })

  it('clear without a session of our own ends every session signed in until now', () => {
    const clock = new ManualClock()
    const { sync } = syncFor({ clock })
    sync.clear(undefined, 'noSession')
    expect(sync.slot()).toBe('tombstone')
    expect(sync.signedOut(tokenSet({ sessionId: 'x', signedInAt: clock.now() }))).toBe(true)
    expect(sync.signedOut(tokenSet({ sessionId: 'y', signedInAt: clock.now() + 1 }))).toBe(false)
    expect(sync.latestSignIn()).toBe(0)
  })
})

describe('sessionSync: shared and tab-private storage', () => {
  it('shared() follows the adapter; storage that drops writes falls back to memory, reported', () => {
    const clock = new ManualClock()
    expect(syncFor({ clock }).sync.shared()).toBe(true)
    expect(syncFor({ clock, storage: memoryStorage() }).sync.shared()).toBe(false)
    const dropping: StorageAdapter = {
      shared: true,
      getItem: () => null,
      setItem: () => undefined,
      removeItem: () => undefined,
    }
    const { sync, of } = syncFor({ clock, storage: dropping })
    const tokens = tokenSet()
    expect(sync.write(tokens)).toBe(true)
    expect(sync.read()?.version).toBe(1)
    expect(sync.slot()).toBe('session') // not mistaken for a sign-out elsewhere
    expect(sync.shared()).toBe(false)
    expect(of('storageIgnored')).toEqual([{ reason: 'unavailable' }])
  })

  it('with private storage the version marker holds ids and versions, never a token', () => {
    const clock = new ManualClock()
    const marker = sharedStorage()
    const a = syncFor({ clock, storage: memoryStorage(), marker })
    const b = syncFor({ clock, storage: memoryStorage(), marker })
    const v1 = tokenSet({ signedInAt: 5_000 })
    expect(b.sync.sessionElsewhere()).toBe(false)
    a.sync.write(v1)
    const raw = marker.map.get(`${syncKey}.version`)!
    expect(JSON.parse(raw)).toEqual({ sessionId: 'session-a', version: 1, signedInAt: 5_000 })
    expect(raw).not.toContain(v1.refreshToken)
    expect(raw).not.toContain(v1.accessToken)
    expect(b.sync.read()).toBeUndefined() // tab-private: b does not see a's tokens
    expect(b.sync.sessionElsewhere()).toBe(true)
    expect(b.sync.sessionElsewhere(v1)).toBe(true)
    expect(b.sync.sessionElsewhere(tokenSet({ sessionId: 'other' }))).toBe(false)
    expect(b.sync.latestSignIn()).toBe(5_000)
    a.sync.write(later(v1))
    expect(b.sync.newerElsewhere(v1)).toBe(true)
    expect(b.sync.newerElsewhere(later(v1))).toBe(false)
    b.sync.write(v1) // b's own (older) write does not turn the marker back
    expect(JSON.parse(marker.map.get(`${syncKey}.version`)!)).toMatchObject({ version: 2 })
    expect(a.sync.newerElsewhere(v1)).toBe(true)
  })

  it('clear removes the marker of its own session only', () => {
    const clock = new ManualClock()
    const marker = sharedStorage()
    const a = syncFor({ clock, storage: memoryStorage(), marker })
    const v1 = tokenSet()
    a.sync.write(v1)
    a.sync.clear(tokenSet({ sessionId: 'someone-else' }), 'signOut')
    expect(a.sync.sessionElsewhere(v1)).toBe(true)
    a.sync.clear(v1, 'signOut')
    expect(a.sync.sessionElsewhere()).toBe(false)
    expect(marker.map.has(`${syncKey}.version`)).toBe(false)
  })

  it('a marker without a valid session id and version counts as none', () => {
    const clock = new ManualClock()
    const v1 = tokenSet()
    for (const raw of ['{', '"text"', '{"sessionId":"session-a","version":0}', '{"version":3}']) {
      const marker = sharedStorage(new Map([[`${syncKey}.version`, raw]]))
      const { sync } = syncFor({ clock, storage: memoryStorage(), marker })
      expect(sync.newerElsewhere(v1)).toBe(false)
      expect(sync.sessionElsewhere()).toBe(false)
      expect(sync.latestSignIn()).toBe(0)
    }
  })
})

describe('sessionSync: unusable stored values', () => {
  const cases: Array<[string, string]> = [
    ['{not json', 'corrupt'],
    ['"a string"', 'foreign'],
    ['{"user":"someone"}', 'foreign'],
    ['{"format":2,"sessionId":"s"}', 'version'],
    ['{"format":1,"sessionId":"","version":1}', 'invalid'],
  ]

  it.each(cases)('%s is ignored as %s, typed and without a throw', (raw, reason) => {
    const storage = sharedStorage(new Map([[syncKey, raw]]))
    const { sync, of } = syncFor({ clock: new ManualClock(), storage })
    expect(sync.read()).toBeUndefined()
    expect(of('storageIgnored')).toEqual([]) // only a read that reports emits
    expect(sync.read({ report: true })).toBeUndefined()
    expect(of('storageIgnored')).toEqual([{ reason }])
    expect(sync.slot()).toBe('unusable')
    expect(sync.signedOut(tokenSet())).toBe(false)
    expect(sync.commit(later(tokenSet()))).toBe('gone')
    expect(sync.write(tokenSet())).toBe(true) // a usable session replaces it
    expect(storedVersion(storage)).toBe('session-a@1')
  })

  it('a stored session without a refresh token is no session', () => {
    const storage = sharedStorage()
    storage.setItem(syncKey, serializeSession(tokenSet(), false))
    const { sync, of } = syncFor({ clock: new ManualClock(), storage })
    expect(sync.read({ report: true })).toBeUndefined()
    expect(of('storageIgnored')).toEqual([])
    expect(sync.slot()).toBe('unusable')
  })
})

describe('sessionSync: parsing', () => {
  it('parses the slot once per value it holds: reads of an unchanged slot share one parse', () => {
    const { sync } = syncFor({ clock: new ManualClock() })
    const v1 = tokenSet({ version: 1 })
    sync.write(v1, { replace: true })
    const first = sync.read()
    expect(sync.read()).toBe(first) // the same parse, not an equal one
    sync.write(later(v1))
    const second = sync.read()
    expect(second).not.toBe(first)
    expect(second?.version).toBe(2)
  })
})
