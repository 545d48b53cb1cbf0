import { describe, expect, it } from 'vitest'
import { createCriticalSection } from '../../../src/core/refresh/criticalSection'
import { loadingSnapshot, reduce } from '../../../src/core/state'
import type { TokenSet } from '../../../src/core/tokens'
import { createFakeTransport } from '../../helpers/fakeTransport'
import { ManualClock } from '../../helpers/manualClock'
import { later, syncFor, tokenSet } from '../../helpers/syncParts'
import { authResult, fakeRefreshToken } from '../../helpers/tokens'

/** The critical section alone: real session sync on shared Map storage, fake transport, manual clock. */
function section(start: TokenSet) {
  const clock = new ManualClock(start.signedInAt + 3_000_000)
  const transport = createFakeTransport({ now: clock.now })
  const parts = syncFor({ clock })
  parts.sync.write(start, { replace: true })
  const snapshot = reduce(
    loadingSnapshot,
    { type: 'signedIn', tokens: start },
    {
      now: clock.now,
      sessionExpiresAt: () => null,
    },
  )
  const critical = createCriticalSection({
    clock,
    transport,
    peerTimeoutMs: 50,
    clientMetadata: undefined,
    sync: parts.sync,
    emitter: parts.emitter,
    snapshot: () => snapshot,
    epoch: () => 0,
    refreshTimeoutMs: 20_000,
    minRefreshIntervalMs: 30_000,
  })
  const stored = () => parts.sync.read()
  return { ...parts, clock, transport, critical, stored }
}

describe('the critical section', () => {
  it('with nothing newer stored: one call, the next version committed and announced', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport, stored, hub } = section(start)
    const outcome = await critical.run(start, 0)
    expect(transport.calls).toHaveLength(1)
    expect(outcome).toMatchObject({ via: 'network', tokens: { version: 2 } })
    expect(stored()?.version).toBe(2)
    expect(hub.log.map((m) => (m as { type: string }).type)).toContain('tokens')
  })

  it('takes a newer version another tab stored, without a call', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport, sync } = section(start)
    sync.write(later(start, 2))
    const outcome = await critical.run(start, 0)
    expect(outcome).toMatchObject({ via: 'storage', tokens: { version: 3 } })
    expect(transport.calls).toHaveLength(0)
  })

  it('stores a rotated refresh token with the new version', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport, stored } = section(start)
    const rotated = fakeRefreshToken('next')
    transport.next(() => authResult({ refreshToken: rotated }))
    await critical.run(start, 0)
    expect(stored()?.refreshToken).toBe(rotated)
  })

  it('a network failure comes back as a failure to plan, and storage keeps the session', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport, stored } = section(start)
    transport.fail('NetworkError', { kind: 'retryable' })
    const outcome = await critical.run(start, 0)
    expect(outcome).toMatchObject({ failed: { code: 'NetworkError' } })
    expect(stored()?.version).toBe(1)
  })

  it('an unusable reply costs its one call, is a failure, and keeps the session', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport, stored } = section(start)
    transport.next(() => ({ ...authResult(), AccessToken: 'not-a-jwt' }))
    const outcome = await critical.run(start, 0)
    expect(outcome).toMatchObject({ failed: { code: 'InvalidResponse' } })
    expect(transport.calls).toHaveLength(1)
    expect(stored()?.version).toBe(1)
  })

  it('a sign-out elsewhere (a tombstone) is reported as gone, with its reason, without a call', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport, sync } = section(start)
    sync.clear(start, 'reuse')
    const outcome = await critical.run(start, 0)
    expect(outcome).toMatchObject({ gone: true, reason: 'reuse' })
    expect(transport.calls).toHaveLength(0)
  })

  it('a run begun in another epoch (signed out or in meanwhile) is discarded', async () => {
    const start = tokenSet({ version: 1 })
    const { critical, transport } = section(start)
    await expect(critical.run(start, 1)).rejects.toMatchObject({ code: 'SignedOut' })
    expect(transport.calls).toHaveLength(0)
  })
})
