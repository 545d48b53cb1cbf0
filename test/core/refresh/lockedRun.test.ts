import { describe, expect, it } from 'vitest'
import type { Lock } from '../../../src/core/platform/lock'
import { lockedRun } from '../../../src/core/refresh/lockedRun'
import { flush, ManualClock } from '../../helpers/manualClock'
import { createTimedLockManager } from '../../helpers/timedLockManager'

/** A plain lock on a manual clock (FIFO, ifAvailable, acquire timeout): no refresh policy in it. */
function plainLock() {
  const clock = new ManualClock()
  const manager = createTimedLockManager(clock)
  const lock = manager.forTab(0)
  const using = (l: Lock = lock) => ({ lock: l, lockName: 'k', lockTimeoutMs: 1_000 })
  const lingerFor = (ms: number) => () =>
    new Promise<void>((resolve) => clock.setTimeout(resolve, ms))
  return { clock, manager, lock, using, lingerFor }
}

describe('lockedRun', () => {
  it('takes a free lock without waiting: not contended, and released with the result', async () => {
    const { manager, using } = plainLock()
    const seen: boolean[] = []
    const result = await lockedRun(using(), async (contended) => {
      seen.push(contended)
      return 'v'
    })
    expect(result).toEqual({ acquired: true, value: 'v' })
    expect(seen).toEqual([false])
    expect(manager.stats).toMatchObject({ granted: 1, busy: 0 })
    expect(manager.busy).toBe(false)
  })

  it('waits for a held lock and runs contended once it is granted', async () => {
    const { clock, manager, lock, using } = plainLock()
    let release!: () => void
    void lock.request('k', {}, () => new Promise<void>((resolve) => (release = resolve)))
    const seen: boolean[] = []
    const pending = lockedRun(using(), async (contended) => {
      seen.push(contended)
      return 'after'
    })
    await clock.advance(500)
    expect(seen).toEqual([]) // still waiting, within the timeout
    release()
    expect(await pending).toEqual({ acquired: true, value: 'after' })
    expect(seen).toEqual([true])
    expect(manager.stats).toMatchObject({ busy: 1, timeouts: 0 })
  })

  it('reports a timeout when the holder keeps the lock too long, without running fn', async () => {
    const { clock, manager, using } = plainLock()
    manager.stall('k', 5_000)
    const ran: boolean[] = []
    const pending = lockedRun(using(), async (contended) => ran.push(contended))
    await clock.advance(1_000)
    expect(await pending).toEqual({ acquired: false, reason: 'timeout' })
    expect(ran).toEqual([])
  })

  it('reports unsupported at once, asking only once, without running fn', async () => {
    const { manager, using } = plainLock()
    manager.setSupported(false)
    const ran: boolean[] = []
    const result = await lockedRun(using(), async (contended) => ran.push(contended))
    expect(result).toEqual({ acquired: false, reason: 'unsupported' })
    expect(manager.stats.unsupported).toBe(1)
    expect(ran).toEqual([])
  })

  it('treats a lock that says busy even to a waiting request as a timeout', async () => {
    const { using } = plainLock()
    const alwaysBusy: Lock = { request: async () => ({ acquired: false, reason: 'busy' }) }
    expect(await lockedRun(using(alwaysBusy), async () => 'x')).toEqual({
      acquired: false,
      reason: 'timeout',
    })
  })

  it('hands the value out at once and keeps the lock while it lingers; the next run is contended', async () => {
    const { clock, manager, using, lingerFor } = plainLock()
    const first = await lockedRun(using(), async () => 'v1', lingerFor(250))
    expect(first).toEqual({ acquired: true, value: 'v1' })
    expect(manager.busy).toBe(true) // still lingering
    const seen: boolean[] = []
    const second = lockedRun(using(), async (contended) => {
      seen.push(contended)
      return 'v2'
    })
    await clock.advance(249)
    expect(seen).toEqual([]) // waits for the linger
    await clock.advance(1)
    expect(await second).toEqual({ acquired: true, value: 'v2' })
    expect(seen).toEqual([true])
    await flush()
    expect(manager.busy).toBe(false) // no linger asked: released with the result
  })

  it('lingers only when linger asks for that value, and not after a throw', async () => {
    const { manager, using, lingerFor } = plainLock()
    const linger = (v: string) => (v === 'network' ? lingerFor(250)() : undefined)
    await lockedRun(using(), async () => 'adopted', linger)
    await flush()
    expect(manager.busy).toBe(false)
    await expect(
      lockedRun(using(), async (): Promise<string> => Promise.reject(new Error('boom')), linger),
    ).rejects.toThrow('boom')
    await flush()
    expect(manager.busy).toBe(false)
  })
})
