import { describe, expect, it, vi } from 'vitest'
import {
  localStorageAdapter,
  memoryStorage,
  sessionStorageAdapter,
} from '../../../src/core/platform/storage'
import { parseSession, serializeSession } from '../../../src/core/storedSession'
import { createTokenSet } from '../../../src/core/tokens'
import { setup } from '../../helpers/testClient'
import { authResult, fakeJwt } from '../../helpers/tokens'

const key = 'react-cognito-refresh.testclient'
const tokens = createTokenSet(authResult(), { now: 1_000, sessionId: 's1' })

describe('session blob', () => {
  it('round-trips a token set', () => {
    const parsed = parseSession(serializeSession(tokens))
    expect(parsed).toMatchObject({ ok: true, hasRefreshToken: true })
    if (parsed.ok) expect(parsed.tokens).toEqual(tokens)
  })

  it('round-trips the device: key, group key and random password', () => {
    const result = authResult({ deviceKey: 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f' })
    result.NewDeviceMetadata!.RandomPasswordKey = 'cGFzc3dvcmQtb2YtdGhlLWRldmljZQ'
    const withDevice = createTokenSet(result, { now: 1_000, sessionId: 's2' })
    const parsed = parseSession(serializeSession(withDevice))
    expect(parsed.ok && parsed.tokens).toMatchObject({
      deviceKey: 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
      deviceGroupKey: '-wt2ha1Zd',
      randomPasswordKey: 'cGFzc3dvcmQtb2YtdGhlLWRldmljZQ',
    })
  })

  it('reads a blob written before the random password was stored', () => {
    const { randomPasswordKey: _none, ...older } = JSON.parse(serializeSession(tokens))
    const blob = JSON.stringify({ ...older, deviceKey: 'us-east-1_a', deviceGroupKey: 'g' })
    const parsed = parseSession(blob)
    expect(parsed).toMatchObject({ ok: true })
    expect(parsed.ok && parsed.tokens).toMatchObject({
      deviceKey: 'us-east-1_a',
      deviceGroupKey: 'g',
      randomPasswordKey: undefined,
    })
    expect(parseSession(JSON.stringify({ ...older, randomPasswordKey: 7 }))).toMatchObject({
      ok: false,
      reason: 'invalid',
    })
  })

  it('can leave the refresh token out', () => {
    const blob = serializeSession(tokens, false)
    expect(blob).not.toContain(tokens.refreshToken)
    expect(parseSession(blob)).toMatchObject({ ok: true, hasRefreshToken: false })
  })

  it.each([
    ['empty', null],
    ['empty', ''],
    ['corrupt', '{"format":1,'],
    ['corrupt', 'undefined'],
    ['foreign', '"just a string"'],
    ['foreign', '{"accessToken":"x"}'],
    ['foreign', 'null'],
    ['version', JSON.stringify({ ...JSON.parse(serializeSession(tokens)), format: 2 })],
    ['invalid', JSON.stringify({ ...JSON.parse(serializeSession(tokens)), version: -1 })],
    ['invalid', JSON.stringify({ ...JSON.parse(serializeSession(tokens)), expiresAt: 'soon' })],
    [
      'invalid',
      JSON.stringify({ ...JSON.parse(serializeSession(tokens)), accessToken: 'not.a.jwt' }),
    ],
    ['invalid', JSON.stringify({ ...JSON.parse(serializeSession(tokens)), idToken: 42 })],
  ])('reports %s data without throwing', (reason, raw) => {
    expect(parseSession(raw)).toEqual({ ok: false, reason })
  })
})

describe('client with bad stored data', () => {
  it.each([
    ['corrupt', '{"format":1,'],
    ['foreign', '{"user":"someone else\'s library"}'],
    ['version', '{"format":99}'],
    [
      'invalid',
      JSON.stringify({
        ...JSON.parse(serializeSession(tokens)),
        accessToken: fakeJwt({}).slice(0, 10),
      }),
    ],
  ])(
    'ignores %s storage with an event, asks the other tabs, then starts signed out',
    async (reason, raw) => {
      const { client, storage, clock, hub, of } = setup()
      storage.map.set(key, raw)
      expect(() => client.mount()).not.toThrow()
      expect(of('storageIgnored')).toEqual([{ reason }])
      // Another tab may still hold the session: it is asked before anything is decided.
      expect(client.getSnapshot().status).toBe('loading')
      expect(hub.log.at(-1)).toMatchObject({ type: 'sessionRequest' })
      await clock.advance(500)
      expect(client.getSnapshot()).toMatchObject({
        status: 'unauthenticated',
        signOutReason: 'noSession',
      })
      expect(of('signedOut')).toEqual([
        { reason: 'noSession', fromOtherTab: false, error: undefined },
      ])
    },
  )
})

describe('adapters', () => {
  it('memory storage keeps values per instance', () => {
    const a = memoryStorage()
    a.setItem('k', 'v')
    expect(a.getItem('k')).toBe('v')
    expect(memoryStorage().getItem('k')).toBeNull()
    a.removeItem('k')
    expect(a.getItem('k')).toBeNull()
  })

  it('web storage adapters are SSR-safe and never throw', () => {
    // No window here (node): they behave like empty storage.
    expect(localStorageAdapter().getItem('k')).toBeNull()
    expect(() => sessionStorageAdapter().setItem('k', 'v')).not.toThrow()
    const throwing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError')
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem: () => undefined,
    }
    vi.stubGlobal('localStorage', throwing)
    try {
      const adapter = localStorageAdapter()
      expect(adapter.shared).toBe(true)
      expect(adapter.getItem('k')).toBeNull()
      expect(() => adapter.setItem('k', 'v')).not.toThrow()
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('looks the global up at call time, not at import', () => {
    const adapter = sessionStorageAdapter()
    const map = new Map<string, string>()
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => map.set(k, v),
      removeItem: (k: string) => map.delete(k),
    })
    try {
      adapter.setItem('k', 'v')
      expect(map.get('k')).toBe('v')
      expect(adapter.shared).toBe(false)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('storage that drops writes', () => {
  it('keeps the session in memory instead of mistaking empty storage for a sign-out elsewhere', async () => {
    const dropping = {
      shared: true,
      getItem: () => null,
      setItem: () => undefined,
      removeItem: () => undefined,
    }
    const { client, transport, of, signOuts } = setup({ storage: dropping })
    client.mount()
    client.setSession(transport.signIn())
    expect(of('storageIgnored')).toEqual([{ reason: 'unavailable' }])
    await client.refresh({ force: true })
    await client.refresh({ force: true })
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated' })
    expect(client.getSnapshot().tokens!.version).toBe(3)
    expect(signOuts()).toEqual([])
  })
})
