import { afterEach, describe, expect, it, vi } from 'vitest'
import { webLock } from '../../../src/core/platform/lock'
import { flush, ManualClock } from '../../helpers/manualClock'
import { setup } from '../../helpers/testClient'

/** An exclusive, FIFO `navigator.locks` stand-in with `ifAvailable` and `signal`. */
function fakeLockManager() {
  const held = new Set<string>()
  const waiting = new Map<string, Array<() => void>>()
  const release = (name: string) => {
    const next = waiting.get(name)?.shift()
    if (next) next()
    else held.delete(name)
  }
  const manager = {
    held,
    async request(
      name: string,
      options: { signal?: AbortSignal; ifAvailable?: boolean },
      callback: (lock: unknown) => Promise<unknown>,
    ) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null)
        await new Promise<void>((resolve, reject) => {
          const queue = waiting.get(name) ?? []
          waiting.set(name, queue)
          const grant = () => resolve()
          queue.push(grant)
          options.signal?.addEventListener('abort', () => {
            queue.splice(queue.indexOf(grant), 1)
            reject(new DOMException('aborted', 'AbortError'))
          })
        })
      } else held.add(name)
      try {
        return await callback({ name })
      } finally {
        release(name)
      }
    },
  }
  vi.stubGlobal('navigator', { locks: manager })
  return manager
}

describe('webLock', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('grants a free lock, holds it while fn runs and releases it when fn settles', async () => {
    const locks = fakeLockManager()
    const lock = webLock()
    const held: boolean[] = []
    const result = await lock.request('k', {}, async () => {
      held.push(locks.held.has('k'))
      return 'v'
    })
    expect(result).toEqual({ acquired: true, value: 'v' })
    expect(held).toEqual([true])
    expect(locks.held.has('k')).toBe(false)
    await expect(
      lock.request('k', {}, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom')
    expect(locks.held.has('k')).toBe(false)
  })

  it('says busy to an ifAvailable request while another holds the lock, without running fn', async () => {
    fakeLockManager()
    const lock = webLock()
    let release!: () => void
    void lock.request('k', {}, () => new Promise<void>((resolve) => (release = resolve)))
    await flush()
    const ran: string[] = []
    const busy = await lock.request('k', { ifAvailable: true }, async () => ran.push('busy'))
    expect(busy).toEqual({ acquired: false, reason: 'busy' })
    release()
    await flush()
    const free = await lock.request('k', { ifAvailable: true }, async () => 'free')
    expect(free).toEqual({ acquired: true, value: 'free' })
    expect(ran).toEqual([])
  })

  it('times out on its clock while another holder keeps the lock, and reports it', async () => {
    fakeLockManager()
    const clock = new ManualClock()
    const lock = webLock({ clock })
    let release!: () => void
    void lock.request('k', {}, () => new Promise<void>((resolve) => (release = resolve)))
    await flush()
    const waiting = lock.request('k', { timeoutMs: 1_000 }, async () => 'never')
    let settled = false
    void waiting.then(() => (settled = true))
    await clock.advance(999)
    expect(settled).toBe(false)
    await clock.advance(1)
    expect(await waiting).toEqual({ acquired: false, reason: 'timeout' })
    release()
    await flush()
    expect(clock.pendingTimers).toBe(0)
  })

  it('waits past a holder within its timeout, and clears the timer once granted', async () => {
    fakeLockManager()
    const clock = new ManualClock()
    const lock = webLock({ clock })
    let release!: () => void
    void lock.request('k', {}, () => new Promise<void>((resolve) => (release = resolve)))
    await flush()
    const waiting = lock.request('k', { timeoutMs: 1_000 }, async () => 'second')
    await clock.advance(500)
    release()
    expect(await waiting).toEqual({ acquired: true, value: 'second' })
    expect(clock.pendingTimers).toBe(0)
  })

  it('reports unsupported without navigator.locks', async () => {
    vi.stubGlobal('navigator', {})
    const ran: string[] = []
    const result = await webLock().request('k', { ifAvailable: true }, async () => ran.push('x'))
    expect(result).toEqual({ acquired: false, reason: 'unsupported' })
    expect(ran).toEqual([])
  })
})

describe('a client on webLock', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('keeps the lock 250 ms after a refresh on its own clock, and dispose() releases it at once', async () => {
    const locks = fakeLockManager()
    const { client, transport, clock } = setup({ lock: webLock() })
    client.mount()
    client.setSession(transport.signIn())
    await client.refresh({ force: true })
    expect(locks.held.size).toBe(1) // lingering after the write
    await clock.advance(250)
    expect(locks.held.size).toBe(0)

    await client.refresh({ force: true })
    expect(locks.held.size).toBe(1)
    client.dispose()
    await flush()
    expect(locks.held.size).toBe(0)
  })
})
