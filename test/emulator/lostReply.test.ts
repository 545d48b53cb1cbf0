/**
 * The `lostReply` fault: the refresh is committed (the token rotates) and then the connection is
 * destroyed before the reply. The client never sees the successor; the old token still works in
 * the grace window and leads to that same successor; after the window it is reuse, which proves
 * the rotation really happened (a `drop` leaves the old token unrotated).
 */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { authResult, call, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const refresh = (emu: Emulator, token: string) =>
  call(emu, 'GetTokensFromRefreshToken', { ClientId: rotating.clientId, RefreshToken: token })

async function oauthRefresh(emu: Emulator, token: string) {
  const response = await fetch(emu.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: rotating.clientId,
      refresh_token: token,
    }),
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

describe('lostReply', () => {
  it('commits the rotation, loses the reply, and leaves the successor to a retry in the grace window', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    // Over the control endpoint, as the playground sets it.
    const set = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: [{ kind: 'lostReply' }] }),
    })
    expect(set.status).toBe(200)
    await expect(refresh(emu, session.RefreshToken)).rejects.toThrow()
    expect(emu.stats().refreshes).toMatchObject([
      { operation: 'GetTokensFromRefreshToken', outcome: 'lostReply', rotated: true },
    ])
    expect(emu.stats().calls.GetTokensFromRefreshToken).toEqual({ lostReply: 1 })

    emu.faults.set({ clockOffsetMs: 20_000 }) // inside the 30 s grace period
    const retry = await refresh(emu, session.RefreshToken)
    expect(retry.status).toBe(200)
    const successor = authResult(retry).RefreshToken as string
    expect(successor).not.toBe(session.RefreshToken)
    // The same successor again: it is the one the lost reply carried.
    expect(authResult(await refresh(emu, session.RefreshToken)).RefreshToken).toBe(successor)
    expect((await refresh(emu, successor)).status).toBe(200)

    emu.faults.set({ clockOffsetMs: 31_000 }) // past the grace period of the lost rotation
    expect((await refresh(emu, session.RefreshToken)).json.__type).toBe(
      'RefreshTokenReuseException',
    )
  })

  it('differs from drop, which never reaches the token', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    emu.faults.failNext({ kind: 'drop' })
    await expect(refresh(emu, session.RefreshToken)).rejects.toThrow()
    emu.faults.set({ clockOffsetMs: 31_000 })
    // Never rotated, so long past any grace period it is still a fresh token.
    expect((await refresh(emu, session.RefreshToken)).status).toBe(200)
  })

  it('works at /oauth2/token too', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    emu.faults.failNext({ kind: 'lostReply' })
    await expect(oauthRefresh(emu, session.RefreshToken)).rejects.toThrow()
    expect(emu.stats().refreshes).toMatchObject([
      { operation: 'oauth2/token', outcome: 'lostReply', rotated: true },
    ])
    const retry = await oauthRefresh(emu, session.RefreshToken)
    expect(retry.status).toBe(200)
    expect(typeof retry.json.refresh_token).toBe('string')
    emu.faults.set({ clockOffsetMs: 31_000 })
    expect((await oauthRefresh(emu, session.RefreshToken)).json).toEqual({
      error: 'invalid_grant',
    })
  })
})
