import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { webLock } from '../../../src/core/platform/lock'
import { flush } from '../../helpers/manualClock'
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

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

describe('webLock', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('hands out the result at once and keeps the lock while it lingers, so the next tab is contended', async () => {
    const locks = fakeLockManager()
    const lock = webLock()
    const first = await lock.request(
      'k',
      10_000,
      async () => 'v1',
      () => wait(250),
    )
    expect(first).toEqual({ acquired: true, value: 'v1' })
    expect(locks.held.has('k')).toBe(true) // still lingering

    const seen: boolean[] = []
    const second = lock.request('k', 10_000, async (contended) => {
      seen.push(contended === true)
      return 'v2'
    })
    await vi.advanceTimersByTimeAsync(249)
    expect(seen).toEqual([]) // waits for the linger
    await vi.advanceTimersByTimeAsync(1)
    expect(await second).toEqual({ acquired: true, value: 'v2' })
    expect(seen).toEqual([true])
    expect(locks.held.has('k')).toBe(false) // no linger asked: released with the result

    // After the linger, a new request finds the lock free.
    const third = await lock.request('k', 10_000, async (contended) => contended)
    expect(third).toEqual({ acquired: true, value: false })
  })

  it('lingers only when linger asks for that result, and not after a throw', async () => {
    const locks = fakeLockManager()
    const lock = webLock()
    await lock.request(
      'k',
      10_000,
      async () => 'adopted',
      (v) => (v === 'network' ? wait(250) : undefined),
    )
    expect(locks.held.has('k')).toBe(false)
    await expect(
      lock.request(
        'k',
        10_000,
        async () => Promise.reject(new Error('boom')),
        () => wait(250),
      ),
    ).rejects.toThrow('boom')
    expect(locks.held.has('k')).toBe(false)
  })

  it('times out while another holder keeps the lock, and reports it', async () => {
    fakeLockManager()
    const lock = webLock()
    let release!: () => void
    void lock.request('k', 10_000, () => new Promise<void>((resolve) => (release = resolve)))
    await vi.advanceTimersByTimeAsync(0)
    const waiting = lock.request('k', 1_000, async () => 'never')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await waiting).toEqual({ acquired: false, reason: 'timeout' })
    release()
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
