import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { type AuthAction, type AuthSnapshot, loadingSnapshot, reduce } from '../../src/core/state'
import { createTokenSet, type TokenSet } from '../../src/core/tokens'
import { authResult } from '../helpers/tokens'

const now = Date.UTC(2026, 10, 21, 12)
const ctx = { now: () => now, sessionExpiresAt: (t: TokenSet) => t.signedInAt + 30 * 86_400_000 }
const tokens = createTokenSet(authResult({ now }), { now, sessionId: 's1' })
const newer = createTokenSet(authResult({ now: now + 1 }), {
  now: now + 1,
  sessionId: 's1',
  previous: tokens,
})
const network = new AuthError('NetworkError', 'offline', { kind: 'retryable' })
const config = new AuthError('ConfigurationError', 'no such client', { kind: 'fatal' })

const signedIn = reduce(loadingSnapshot, { type: 'signedIn', tokens }, ctx)
const retrying = reduce(signedIn, { type: 'retrying', error: network }, ctx)
const signedOut = reduce(signedIn, { type: 'signedOut', reason: 'signOut', error: undefined }, ctx)

/** The fields a transition sets, without the ones it keeps. */
const pick = (s: AuthSnapshot) => ({
  status: s.status,
  refresh: s.refresh,
  tokens: s.tokens?.version ?? null,
  error: s.error?.code ?? null,
  signOutReason: s.signOutReason,
})

describe('reduce: every named transition', () => {
  const cases: [string, AuthSnapshot, AuthAction, ReturnType<typeof pick>][] = [
    [
      'restored',
      loadingSnapshot,
      { type: 'restored', tokens },
      { status: 'authenticated', refresh: 'idle', tokens: 1, error: null, signOutReason: null },
    ],
    [
      'noSession',
      loadingSnapshot,
      { type: 'noSession' },
      {
        status: 'unauthenticated',
        refresh: 'idle',
        tokens: null,
        error: null,
        signOutReason: 'noSession',
      },
    ],
    [
      'signedIn clears an error and a reason',
      reduce(signedOut, { type: 'retrying', error: network }, ctx),
      { type: 'signedIn', tokens },
      { status: 'authenticated', refresh: 'idle', tokens: 1, error: null, signOutReason: null },
    ],
    [
      'refreshStarted keeps the last error',
      retrying,
      { type: 'refreshStarted' },
      {
        status: 'authenticated',
        refresh: 'refreshing',
        tokens: 1,
        error: 'NetworkError',
        signOutReason: null,
      },
    ],
    [
      'refreshed',
      retrying,
      { type: 'refreshed', tokens: newer },
      { status: 'authenticated', refresh: 'idle', tokens: 2, error: null, signOutReason: null },
    ],
    [
      'refreshSettled',
      retrying,
      { type: 'refreshSettled' },
      { status: 'authenticated', refresh: 'idle', tokens: 1, error: null, signOutReason: null },
    ],
    [
      'retrying keeps the session',
      signedIn,
      { type: 'retrying', error: network },
      {
        status: 'authenticated',
        refresh: 'retrying',
        tokens: 1,
        error: 'NetworkError',
        signOutReason: null,
      },
    ],
    [
      'refreshFailed is idle with the error',
      signedIn,
      { type: 'refreshFailed', error: config },
      {
        status: 'authenticated',
        refresh: 'idle',
        tokens: 1,
        error: 'ConfigurationError',
        signOutReason: null,
      },
    ],
    [
      'adopted while refreshing keeps refreshing',
      reduce(retrying, { type: 'refreshStarted' }, ctx),
      { type: 'adopted', tokens: newer, refreshing: true },
      {
        status: 'authenticated',
        refresh: 'refreshing',
        tokens: 2,
        error: null,
        signOutReason: null,
      },
    ],
    [
      'adopted while waiting ends the wait',
      retrying,
      { type: 'adopted', tokens: newer, refreshing: false },
      { status: 'authenticated', refresh: 'idle', tokens: 2, error: null, signOutReason: null },
    ],
    [
      'signedOut drops tokens and a stale error',
      retrying,
      { type: 'signedOut', reason: 'signOut', error: undefined },
      {
        status: 'unauthenticated',
        refresh: 'idle',
        tokens: null,
        error: null,
        signOutReason: 'signOut',
      },
    ],
    [
      'signedOut with the error that ended it',
      retrying,
      { type: 'signedOut', reason: 'rejected', error: config },
      {
        status: 'unauthenticated',
        refresh: 'idle',
        tokens: null,
        error: 'ConfigurationError',
        signOutReason: 'rejected',
      },
    ],
  ]
  it.each(cases)('%s', (_name, from, action, expected) => {
    const next = reduce(from, action, ctx)
    expect(pick(next)).toEqual(expected)
    expect(Object.isFrozen(next)).toBe(true)
    expect(next.updatedAt).toBe(now)
  })

  it('returns the same snapshot when nothing changes, so no subscriber wakes', () => {
    expect(reduce(signedIn, { type: 'refreshSettled' }, ctx)).toBe(signedIn)
    expect(reduce(signedIn, { type: 'signedIn', tokens }, ctx)).toBe(signedIn)
    expect(reduce(signedOut, { type: 'signedOut', reason: 'signOut', error: undefined }, ctx)).toBe(
      signedOut,
    )
  })

  it('sessionExpiresAt follows the tokens and is never left behind after a sign-out', () => {
    expect(signedIn.sessionExpiresAt).toBe(tokens.signedInAt + 30 * 86_400_000)
    expect(signedOut.sessionExpiresAt).toBeNull()
    const unknown = { ...ctx, sessionExpiresAt: () => null }
    expect(
      reduce(loadingSnapshot, { type: 'restored', tokens }, unknown).sessionExpiresAt,
    ).toBeNull()
  })
})
