import { afterEach, describe, expect, it, vi } from 'vitest'
import { broadcastChannel } from '../../../src/core/platform/channel'

/** A BroadcastChannel stand-in that delivers between instances of one name and counts open ones. */
function fakeBroadcastChannels() {
  const open = new Set<FakeChannel>()
  class FakeChannel {
    onmessage: ((event: { data: unknown }) => void) | null = null
    closed = false
    constructor(readonly name: string) {
      open.add(this)
    }
    postMessage(data: unknown) {
      if (this.closed) throw new Error('InvalidStateError')
      // Queued for the receivers now (as the HTML spec does), delivered in a later task.
      const receivers = [...open].filter((c) => c !== this && c.name === this.name)
      for (const r of receivers) queueMicrotask(() => r.closed || r.onmessage?.({ data }))
    }
    close() {
      this.closed = true
      open.delete(this)
    }
  }
  vi.stubGlobal('BroadcastChannel', FakeChannel)
  return { open }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('broadcastChannel', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('holds a BroadcastChannel only while someone listens', async () => {
    const { open } = fakeBroadcastChannels()
    const a = broadcastChannel('k')
    const b = broadcastChannel('k')
    expect(open.size).toBe(0) // nothing at creation
    const got: unknown[] = []
    const stop = b.subscribe((m) => got.push(m))
    expect(open.size).toBe(1)
    a.post('hello') // a is not listening: opens, posts, closes again
    expect(open.size).toBe(1)
    await tick()
    expect(got).toEqual(['hello'])
    stop()
    expect(open.size).toBe(0)
    // Listening again reopens it.
    const again = b.subscribe((m) => got.push(m))
    a.post('again')
    await tick()
    expect(got).toEqual(['hello', 'again'])
    again()
    expect(open.size).toBe(0)
  })

  it('after close() it never opens again and posting is a no-op', () => {
    const { open } = fakeBroadcastChannels()
    const a = broadcastChannel('k')
    a.subscribe(() => undefined)
    a.close()
    expect(open.size).toBe(0)
    a.post('x')
    a.subscribe(() => undefined)
    expect(open.size).toBe(0)
  })
})
