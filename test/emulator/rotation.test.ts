/**
 * Refresh-token rotation: the grace window, reuse after it, reuse by another client, after
 * RevokeToken, the carried-over expiry, and REFRESH_TOKEN_AUTH refused on a rotating client.
 * Time moves with the emulator's clock offset, not by sleeping.
 */
import { describe, expect, it } from 'vitest'
import { authResult, call, classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const refresh = (
  emu: Parameters<typeof call>[0],
  token: string,
  clientId: string = rotating.clientId,
) => call(emu, 'GetTokensFromRefreshToken', { ClientId: clientId, RefreshToken: token })

describe('refresh-token rotation', () => {
  it('returns a new refresh token, and the same successor on reuse inside the grace window', async () => {
    const emu = await start({ users: [user], clients: [rotating, classic] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const first = await refresh(emu, session.RefreshToken)
    const successor = authResult(first).RefreshToken as string
    expect(successor).toMatch(/^[A-Za-z0-9\-_=.]+$/)
    expect(successor).not.toBe(session.RefreshToken)

    emu.faults.set({ clockOffsetMs: 20_000 })
    const retry = await refresh(emu, session.RefreshToken)
    expect(retry.status).toBe(200)
    expect(authResult(retry).RefreshToken).toBe(successor)
    expect(authResult(retry).AccessToken).not.toBe(authResult(first).AccessToken)

    // The successor itself works and rotates on.
    const next = await refresh(emu, successor)
    expect(authResult(next).RefreshToken).not.toBe(successor)
  })

  it('refuses reuse after the grace window with RefreshTokenReuseException, leaving the successor alone', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const successor = authResult(await refresh(emu, session.RefreshToken)).RefreshToken as string
    emu.faults.set({ clockOffsetMs: 30_000 })
    const reuse = await refresh(emu, session.RefreshToken)
    expect(reuse.status).toBe(400)
    expect(reuse.json.__type).toBe('RefreshTokenReuseException')
    expect(reuse.headers.get('x-amzn-errortype')).toBe('RefreshTokenReuseException:')
    expect((await refresh(emu, successor)).status).toBe(200)
  })

  it('with grace 0 refuses any reuse at once', async () => {
    const emu = await start({
      users: [user],
      clients: [{ clientId: 'nograce', refreshTokenRotation: { feature: 'ENABLED' } }],
    })
    const session = await emu.signIn({ username: user.username, clientId: 'nograce' })
    expect((await refresh(emu, session.RefreshToken, 'nograce')).status).toBe(200)
    expect((await refresh(emu, session.RefreshToken, 'nograce')).json.__type).toBe(
      'RefreshTokenReuseException',
    )
  })

  it('can mint a new successor in the grace window and revoke the family on late reuse', async () => {
    const emu = await start({
      users: [user],
      clients: [rotating],
      behaviour: { graceReuse: 'new', reuseRevokesFamily: true, reuseMessage: 'Reused.' },
    })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const a = authResult(await refresh(emu, session.RefreshToken)).RefreshToken as string
    const b = authResult(await refresh(emu, session.RefreshToken)).RefreshToken as string
    expect(b).not.toBe(a)
    emu.faults.set({ clockOffsetMs: 31_000 })
    const late = await refresh(emu, session.RefreshToken)
    expect(late.json).toEqual({ __type: 'RefreshTokenReuseException', message: 'Reused.' })
    const afterRevocation = await refresh(emu, b)
    expect(afterRevocation.json.message).toBe('Refresh Token has been revoked')
  })

  it('refuses a token presented by another client of the pool', async () => {
    const emu = await start({ users: [user], clients: [rotating, classic] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const reply = await refresh(emu, session.RefreshToken, classic.clientId)
    expect(reply.json).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid Refresh Token.',
    })
  })

  it('refuses every token of the family after RevokeToken', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const successor = authResult(await refresh(emu, session.RefreshToken)).RefreshToken as string
    const revoke = await call(emu, 'RevokeToken', {
      ClientId: rotating.clientId,
      Token: session.RefreshToken,
    })
    expect(revoke.status).toBe(200)
    expect(revoke.json).toEqual({})
    for (const token of [session.RefreshToken, successor]) {
      expect((await refresh(emu, token)).json.message).toBe('Refresh Token has been revoked')
    }
    // An unknown token revokes nothing and succeeds (RFC 7009).
    expect(
      (
        await call(emu, 'RevokeToken', {
          ClientId: rotating.clientId,
          Token: 'abc.def.ghi.jkl.mno',
        })
      ).status,
    ).toBe(200)
    // Another sign-in is a new family and unaffected.
    const other = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    expect((await refresh(emu, other.RefreshToken)).status).toBe(200)
  })

  it('carries the original expiry over to successors', async () => {
    const emu = await start({
      users: [user],
      clients: [{ ...rotating, refreshTokenValiditySeconds: 600 }],
    })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    emu.faults.set({ clockOffsetMs: 400_000 })
    const successor = authResult(await refresh(emu, session.RefreshToken)).RefreshToken as string
    emu.faults.set({ clockOffsetMs: 590_000 })
    const stillValid = await refresh(emu, successor)
    expect(stillValid.status).toBe(200)
    const last = authResult(stillValid).RefreshToken as string
    // 600 s after sign-in every link of the chain has expired, though `last` is 10 s old.
    emu.faults.set({ clockOffsetMs: 600_000 })
    const expired = await refresh(emu, last)
    expect(expired.json).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
    })
  })

  it('refuses REFRESH_TOKEN_AUTH on a rotating client, configurably', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const reply = await call(emu, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: rotating.clientId,
      AuthParameters: { REFRESH_TOKEN: session.RefreshToken },
    })
    expect(reply.json.__type).toBe('NotAuthorizedException')
    expect(reply.json.message).toBe(
      'Refresh token rotation must be completed with GetTokensFromRefreshToken.',
    )

    const custom = await start({
      users: [user],
      clients: [rotating],
      behaviour: {
        refreshTokenAuthOnRotatingClient: { code: 'InvalidParameterException', message: 'No.' },
      },
    })
    const s2 = await custom.signIn({ username: user.username, clientId: rotating.clientId })
    const reply2 = await call(custom, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN',
      ClientId: rotating.clientId,
      AuthParameters: { REFRESH_TOKEN: s2.RefreshToken },
    })
    expect(reply2.json).toEqual({ __type: 'InvalidParameterException', message: 'No.' })
  })

  it('never rotates on a classic client and keeps the token valid', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    for (let i = 0; i < 3; i += 1) {
      const reply = await refresh(emu, session.RefreshToken, classic.clientId)
      expect(reply.status).toBe(200)
      expect(authResult(reply).RefreshToken).toBeUndefined()
    }
    const log = emu.stats().refreshes
    expect(log.map((entry) => entry.rotated)).toEqual([false, false, false])
  })

  it('rotates once when hundreds of refreshes with one token arrive together', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => refresh(emu, session.RefreshToken)),
    )
    const successors = new Set(replies.map((reply) => authResult(reply).RefreshToken))
    expect(replies.every((reply) => reply.status === 200)).toBe(true)
    expect(successors.size).toBe(1)
    expect(emu.stats().calls.GetTokensFromRefreshToken?.ok).toBe(200)
  })
})
