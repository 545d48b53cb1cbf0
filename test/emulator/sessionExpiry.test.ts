/**
 * A token family ends at the first sign-in plus the client's refresh-token validity, however
 * often it rotates, as Cognito does (protocol reference §2.5): rotation never extends a session.
 * Time moves with the clock offset.
 */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { authResult, call, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const clientId = 'shortsessionclient00000001'

async function refreshVia(emu: Emulator, how: 'api' | 'oauth', token: string) {
  if (how === 'api') {
    const reply = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: clientId,
      RefreshToken: token,
    })
    const result = reply.status === 200 ? authResult(reply) : undefined
    return { ok: reply.status === 200, next: result?.RefreshToken as string, error: reply.json }
  }
  const response = await fetch(emu.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: token,
    }),
  })
  const json = (await response.json()) as Record<string, unknown>
  return { ok: response.ok, next: json.refresh_token as string, error: json }
}

describe('session expiry', () => {
  it('ends a rotating session at the original validity, however often it rotated', async () => {
    const emu = await start({
      users: [user],
      clients: [
        {
          clientId,
          refreshTokenValiditySeconds: 60,
          refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 5 },
        },
      ],
      behaviour: { graceReuse: 'new' },
    })
    expect(emu.clients[0]?.refreshTokenValiditySeconds).toBe(60)
    const session = await emu.signIn({ username: user.username, clientId })
    let token = session.RefreshToken
    // Every 7 s a rotation, by both refresh endpoints, and a grace-window retry that mints a
    // new successor: eight rotations up to 56 s, each successor younger than the last.
    for (let step = 1; step <= 8; step += 1) {
      emu.faults.set({ clockOffsetMs: step * 7_000 })
      const rotated = await refreshVia(emu, step % 2 === 0 ? 'oauth' : 'api', token)
      expect(rotated.ok, `step ${step}`).toBe(true)
      const retried = await refreshVia(emu, 'api', token)
      expect(retried.next).not.toBe(rotated.next)
      token = retried.next
    }
    emu.faults.set({ clockOffsetMs: 59_000 })
    const last = await refreshVia(emu, 'api', token)
    expect(last.ok).toBe(true)
    // 60 s after the first sign-in the family is over, though `last.next` is 1 s old.
    emu.faults.set({ clockOffsetMs: 60_000 })
    expect((await refreshVia(emu, 'api', last.next)).error).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
    })
    expect((await refreshVia(emu, 'oauth', last.next)).error).toEqual({ error: 'invalid_grant' })
    // A new sign-in is a new family with its own 60 s.
    const again = await emu.signIn({ username: user.username, clientId })
    emu.faults.set({ clockOffsetMs: 119_000 })
    expect((await refreshVia(emu, 'api', again.RefreshToken)).ok).toBe(true)
  })

  it('defaults to Cognito’s 30 days and refuses a validity out of range', async () => {
    const emu = await start({ users: [user], clients: [{ clientId }] })
    expect(emu.clients[0]?.refreshTokenValiditySeconds).toBe(30 * 86_400)
    const session = await emu.signIn({ username: user.username, clientId })
    emu.faults.set({ clockOffsetMs: 30 * 86_400_000 - 1_000 })
    expect((await refreshVia(emu, 'api', session.RefreshToken)).ok).toBe(true)
    emu.faults.set({ clockOffsetMs: 30 * 86_400_000 })
    expect((await refreshVia(emu, 'api', session.RefreshToken)).ok).toBe(false)
    await expect(
      start({ clients: [{ clientId, refreshTokenValiditySeconds: 0 }] }),
    ).rejects.toThrow(/refreshTokenValiditySeconds must be an integer from 1/)
  })
})
