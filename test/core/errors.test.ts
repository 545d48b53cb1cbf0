import { describe, expect, it } from 'vitest'
import { AuthError, isAuthError, redact } from '../../src/core/errors'
import { fakeJwt, fakeRefreshToken } from '../helpers/tokens'

describe('AuthError', () => {
  it('has a code, a kind, a sanitized copy of the cause, and a JSON form without it', () => {
    const cause = Object.assign(new TypeError('Failed to fetch'), { request: { body: 'x' } })
    const error = new AuthError('NetworkError', 'offline', { cause, status: 0 })
    expect(error.cause).not.toBe(cause)
    expect(error.cause).not.toHaveProperty('request')
    expect(error).toBeInstanceOf(Error)
    expect(isAuthError(error)).toBe(true)
    expect(isAuthError(new Error('x'))).toBe(false)
    expect(error).toMatchObject({
      name: 'AuthError',
      code: 'NetworkError',
      kind: 'retryable',
      cause: { name: 'TypeError', message: 'Failed to fetch' },
    })
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'AuthError',
      code: 'NetworkError',
      kind: 'retryable',
      message: 'offline',
      status: 0,
    })
  })

  it('lets a transport override the kind', () => {
    expect(new AuthError('HttpError', 'x', { kind: 'fatal' }).kind).toBe('fatal')
  })

  it('never keeps token material in its message', () => {
    const access = fakeJwt({ sub: 'u', exp: 1 })
    const refresh = fakeRefreshToken()
    const error = new AuthError(
      'InvalidResponse',
      `bad ${access} and ${refresh} and ${'A'.repeat(40)}`,
    )
    expect(error.message).not.toContain(access)
    expect(error.message).not.toContain(refresh)
    expect(error.message).not.toContain('A'.repeat(40))
    expect(error.message).toContain('[redacted]')
  })

  it('keeps ordinary text, host names and client ids readable', () => {
    const text =
      'User pool client 1h57kf5cpq17m0eml12EXAMPLE does not exist. cognito-idp.us-east-1.amazonaws.com'
    expect(redact(text)).toBe(text)
  })

  it('scrubs exact secrets and bounds the length', () => {
    expect(redact('secret is s3cr3t!', ['s3cr3t!'])).toBe('secret is [redacted]')
    expect(redact('x'.repeat(1000)).length).toBeLessThanOrEqual(301)
  })
})

describe('redact on huge input', () => {
  it('truncates before it scans, so megabytes of token characters cannot throw', () => {
    for (const text of ['a'.repeat(8_000_000), 'aaaaaaaaaa.'.repeat(800_000)]) {
      const clean = redact(text)
      expect(clean.length).toBeLessThanOrEqual(301)
      expect(clean).not.toMatch(/a{32}/)
    }
  })

  it('drops the word cut at the bound: it may be the start of a secret', () => {
    const secret = 'shortsecret-1234567'
    // A long token shrinks to "[redacted]", so the text at the cut would reach the output.
    const text = `${'A'.repeat(4090)} ${secret}`
    expect(text.slice(0, 4096).endsWith(' short')).toBe(true)
    expect(redact(text, [secret])).not.toContain('short')
    expect(redact(text, [secret])).toBe('[redacted] …')
  })
})
