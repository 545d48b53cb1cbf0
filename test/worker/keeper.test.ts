/**
 * The refresh worker's keeper on the manual clock with a fake rotating transport: one call per
 * token, a rotated reply kept for the next tab that presents the spent token, the chain followed to
 * its live end, and the refresh tokens kept behind handles.
 */
import { describe, expect, it } from 'vitest'
import { isAuthError } from '../../src/core/errors'
import {
  createKeeper,
  handlePrefix,
  isHandle,
  keepWaitMs,
  newHandle,
} from '../../src/worker/keeper'
import type { WorkerTransportConfig } from '../../src/worker/config'
import { createFakeTransport } from '../helpers/fakeTransport'
import { flush, ManualClock } from '../helpers/manualClock'

const config: WorkerTransportConfig = { type: 'cognito', clientId: 'c1', region: 'us-east-1' }

function setup({ rotate = true, expiresIn = 300 } = {}) {
  const clock = new ManualClock()
  const transport = createFakeTransport({ rotate, expiresIn, now: clock.now })
  const keeper = createKeeper({ clock, newHandle, transportFor: () => transport })
  const session = transport.signIn()
  return { clock, transport, keeper, token: session.RefreshToken! }
}

describe('keeper', () => {
  it('makes one call for concurrent refreshes of one token, and both get its reply', async () => {
    const { transport, keeper, token } = setup()
    const release = transport.gate()
    const a = keeper.refresh(config, { refreshToken: token })
    const b = keeper.refresh(config, { refreshToken: token })
    await flush()
    release()
    const [ra, rb] = await Promise.all([a, b])
    expect(transport.calls).toHaveLength(1)
    expect(ra.RefreshToken).toBe(rb.RefreshToken)
    expect(ra.RefreshToken).not.toBe(token)
  })

  it('answers a spent token with the kept successor, without calling the server', async () => {
    const { transport, keeper, token } = setup()
    const first = await keeper.refresh(config, { refreshToken: token })
    // The tab that asked closed before the reply reached it; another tab presents the same token.
    const again = await keeper.refresh(config, { refreshToken: token })
    expect(again).toEqual(first)
    expect(transport.calls).toHaveLength(1)
    // The fake transport, like Cognito at grace period 0, refuses the spent token.
    await expect(transport.refresh({ refreshToken: token }, {} as never)).rejects.toMatchObject({
      code: 'RefreshTokenReuseException',
    })
  })

  it('follows the chain to its live end', async () => {
    const { transport, keeper, token } = setup()
    const second = await keeper.refresh(config, { refreshToken: token })
    const third = await keeper.refresh(config, { refreshToken: second.RefreshToken! })
    expect(await keeper.refresh(config, { refreshToken: token })).toEqual(third)
    expect(transport.calls.map((c) => c.refreshToken)).toEqual([token, second.RefreshToken])
  })

  it('refreshes with the live token once the kept access token has lapsed', async () => {
    const { clock, transport, keeper, token } = setup({ expiresIn: 300 })
    const second = await keeper.refresh(config, { refreshToken: token })
    await clock.advance(300_000)
    const third = await keeper.refresh(config, { refreshToken: token })
    expect(third.RefreshToken).not.toBe(second.RefreshToken)
    expect(transport.calls.map((c) => c.refreshToken)).toEqual([token, second.RefreshToken])
  })

  it('keeps nothing of a reply without rotation, nor of a failure', async () => {
    const { transport, keeper, token } = setup({ rotate: false })
    await keeper.refresh(config, { refreshToken: token })
    await keeper.refresh(config, { refreshToken: token })
    expect(transport.calls).toHaveLength(2)
    transport.fail('InternalErrorException')
    await expect(keeper.refresh(config, { refreshToken: token })).rejects.toMatchObject({
      code: 'InternalErrorException',
      kind: 'retryable',
    })
    await keeper.refresh(config, { refreshToken: token })
    expect(transport.calls).toHaveLength(4)
  })

  it('never shares a flight or a kept reply between two transport configs', async () => {
    const { transport, keeper, token } = setup()
    await keeper.refresh(config, { refreshToken: token })
    const other = { ...config, clientId: 'c2' }
    await expect(keeper.refresh(other, { refreshToken: token })).rejects.toMatchObject({
      code: 'RefreshTokenReuseException',
    })
    expect(transport.calls).toHaveLength(2)
  })

  describe('with keep (the refresh token in the worker only)', () => {
    it('answers with a handle, and takes the handle for the token behind it', async () => {
      const { transport, keeper, token } = setup()
      const first = await keeper.refresh(config, { refreshToken: token }, { keep: true })
      expect(isHandle(first.RefreshToken!)).toBe(true)
      expect(first.RefreshToken).toMatch(
        new RegExp(`^${handlePrefix.replace('.', '\\.')}[\\w-]{43}$`),
      )
      const second = await keeper.refresh(
        config,
        { refreshToken: first.RefreshToken! },
        { keep: true },
      )
      expect(isHandle(second.RefreshToken!)).toBe(true)
      expect(transport.calls).toHaveLength(2)
      expect(isHandle(transport.calls[1]!.refreshToken)).toBe(false) // the server got the real one
      // Two tabs that present the same spent handle get the same successor handle.
      expect(
        await keeper.refresh(config, { refreshToken: first.RefreshToken! }, { keep: true }),
      ).toEqual(second)
    })

    it('gives a handle for a token without rotation too, and takes a token handed over by `keep`', async () => {
      const { transport, keeper, token } = setup({ rotate: false })
      const handle = newHandle()
      keeper.keep(handle, token)
      const result = await keeper.refresh(config, { refreshToken: handle }, { keep: true })
      expect(result.RefreshToken).toBe(handle)
      expect(transport.calls[0]!.refreshToken).toBe(token)
    })

    it('an unknown handle is a terminal NoSession after a moment, with no call (the worker that held it ended)', async () => {
      const { clock, transport, keeper } = setup()
      const pending = keeper.refresh(config, { refreshToken: newHandle() }).catch((e) => e)
      await clock.advance(keepWaitMs)
      const error = await pending
      expect(isAuthError(error) && [error.code, error.kind]).toEqual(['NoSession', 'terminal'])
      expect(transport.calls).toHaveLength(0)
    })

    it("waits for a handle's keep that another tab's request overtook", async () => {
      const { clock, transport, keeper, token } = setup()
      const handle = newHandle()
      const pending = keeper.refresh(config, { refreshToken: handle }, { keep: true })
      await clock.advance(keepWaitMs / 2)
      keeper.keep(handle, token)
      expect(isHandle((await pending).RefreshToken!)).toBe(true)
      expect(transport.calls.map((c) => c.refreshToken)).toEqual([token])
    })

    it('revokes the token behind a handle and forgets it', async () => {
      const { clock, transport, keeper, token } = setup()
      const first = await keeper.refresh(config, { refreshToken: token }, { keep: true })
      await keeper.revoke(config, first.RefreshToken!)
      expect(transport.revoked).toHaveLength(1)
      expect(isHandle(transport.revoked[0]!)).toBe(false)
      const after = keeper.refresh(config, { refreshToken: first.RefreshToken! }).catch((e) => e)
      await clock.advance(keepWaitMs)
      expect(await after).toMatchObject({ code: 'NoSession' })
      await keeper.revoke(config, first.RefreshToken!) // a second revoke has nothing left to do
      expect(transport.revoked).toHaveLength(1)
    })
  })
})
