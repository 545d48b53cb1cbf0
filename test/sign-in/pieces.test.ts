/** The sign-in entry's parts on their own: PKCE, the pending sign-in, the ID token's checks. */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { memoryStorage } from '../../src/core/platform/storage'
import { checkIdToken } from '../../src/sign-in/idToken'
import { pendingStore } from '../../src/sign-in/pending'
import { challengeOf, randomValue } from '../../src/sign-in/pkce'

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`

function thrown(fn: () => unknown): AuthError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError)
    return error as AuthError
  }
  throw new Error('did not throw')
}

describe('pkce', () => {
  it("computes S256 challenges as Node's own SHA-256 does", async () => {
    for (const verifier of [randomValue(), randomValue(64), 'a'.repeat(43), '~.-_'.repeat(11)]) {
      expect(await challengeOf(verifier)).toBe(
        createHash('sha256').update(verifier).digest('base64url'),
      )
    }
  })

  it('makes base64url random values of the asked length, different each time', () => {
    const a = randomValue()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(randomValue()).not.toBe(a)
    expect(randomValue(16)).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})

describe('pendingStore', () => {
  const started = {
    verifier: 'v'.repeat(43),
    nonce: 'n',
    redirectUri: 'https://app.example.com/cb',
    returnTo: '/x',
    expiresAt: 1000,
  }

  it('gives a started sign-in back once, then refuses its state', () => {
    const storage = memoryStorage()
    const store = pendingStore(storage, 'p')
    store.put('s1', started)
    expect(store.take('s1', 999)).toEqual(started)
    expect(thrown(() => store.take('s1', 999)).code).toBe('StateMismatch')
  })

  it('refuses an expired one and removes it', () => {
    const storage = memoryStorage()
    const store = pendingStore(storage, 'p')
    store.put('s1', started)
    const error = thrown(() => store.take('s1', 1001))
    expect(error.code).toBe('StateMismatch')
    expect(error.message).toContain('expired')
    expect(storage.getItem('p.s1')).toBeNull()
  })

  it.each([['not json'], ['null'], ['{"verifier":1}'], [JSON.stringify({ ...started, nonce: 2 })]])(
    'refuses an unreadable stored value (%s) with a typed error',
    (raw) => {
      const storage = memoryStorage()
      storage.setItem('p.s1', raw)
      const error = thrown(() => pendingStore(storage, 'p').take('s1', 0))
      expect(error.code).toBe('StateMismatch')
      expect(error.message).toContain('unreadable')
    },
  )

  it('refuses when storage throws, instead of crashing', () => {
    const storage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    }
    expect(thrown(() => pendingStore(storage, 'p').take('s1', 0)).code).toBe('StateMismatch')
  })
})

describe('checkIdToken', () => {
  const now = 1_700_000_000_000
  const good = {
    nonce: 'n1',
    aud: 'client1',
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123',
    exp: now / 1000 + 3600,
  }
  const expect_ = { clientId: 'client1', nonce: 'n1', issuer: undefined, now, leewayMs: 0 }

  it('accepts a token of this sign-in', () => {
    expect(() => checkIdToken(jwt(good), expect_)).not.toThrow()
    expect(() => checkIdToken(jwt(good), { ...expect_, issuer: good.iss })).not.toThrow()
  })

  it.each([
    ['no token', undefined, 'none'],
    ['not a JWT', 'abc', 'not a JWT'],
    ['another nonce', jwt({ ...good, nonce: 'n2' }), 'nonce'],
    ['no nonce', jwt({ ...good, nonce: undefined }), 'nonce'],
    ['another audience', jwt({ ...good, aud: 'client2' }), 'another app client'],
    ['an issuer of another shape', jwt({ ...good, iss: 'evil' }), 'issuer'],
    ['expired', jwt({ ...good, exp: now / 1000 - 1 }), 'expired'],
  ])('refuses %s', (_, token, words) => {
    const error = thrown(() => checkIdToken(token, expect_))
    expect(error.code).toBe('InvalidResponse')
    expect(error.message).toContain(words)
    if (typeof token === 'string') expect(error.message).not.toContain(token)
  })

  it('checks the issuer exactly when it is given', () => {
    const other = jwt({
      ...good,
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other',
    })
    expect(thrown(() => checkIdToken(other, { ...expect_, issuer: good.iss })).message).toContain(
      'issuer',
    )
  })

  it('allows the leeway for a skewed clock', () => {
    const late = jwt({ ...good, exp: now / 1000 - 60 })
    expect(() => checkIdToken(late, { ...expect_, leewayMs: 300_000 })).not.toThrow()
  })
})
