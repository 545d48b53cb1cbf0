/**
 * A message bus between the tabs of one origin. The default wraps BroadcastChannel; posting to a
 * closed or missing channel is a no-op, never a throw.
 */
export interface Channel {
  post(message: unknown): void
  subscribe(listener: (message: unknown) => void): () => void
  close(): void
}

interface BroadcastChannelLike {
  postMessage(message: unknown): void
  close(): void
  onmessage: ((event: { data: unknown }) => void) | null
}

export function broadcastChannel(name: string): Channel {
  const listeners = new Set<(message: unknown) => void>()
  let channel: BroadcastChannelLike | undefined
  let closed = false
  const open = (): BroadcastChannelLike | undefined => {
    if (closed) return undefined
    if (channel !== undefined) return channel
    const Ctor = (globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike })
      .BroadcastChannel
    if (Ctor === undefined) return undefined
    try {
      channel = new Ctor(name)
      channel.onmessage = (event) => {
        for (const listener of [...listeners]) listener(event.data)
      }
    } catch {
      channel = undefined
    }
    return channel
  }
  // Open only while someone listens: a client that is not mounted holds no channel, so it needs
  // no disposal (React's <Activity hidden> unmounts effects and keeps the client).
  const release = () => {
    try {
      channel?.close()
    } catch {
      // already closed
    }
    channel = undefined
  }
  return {
    post(message) {
      try {
        open()?.postMessage(message)
      } catch {
        // A channel closed underneath us (bfcache, teardown) or an uncloneable value: drop it.
      }
      // Posted messages are queued for the receivers at once: closing now loses none.
      if (listeners.size === 0) release()
    },
    subscribe(listener) {
      listeners.add(listener)
      open()
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) release()
      }
    },
    close() {
      closed = true
      listeners.clear()
      release()
    },
  }
}

export const noChannel: Channel = {
  post: () => undefined,
  subscribe: () => () => undefined,
  close: () => undefined,
}

/** A channel created on first use (never at construction: nothing runs before `mount()`). */
export function lazyChannel(create: () => Channel): Channel {
  let channel: Channel | undefined
  const get = () => (channel ??= create())
  return {
    post: (message) => get().post(message),
    subscribe: (listener) => get().subscribe(listener),
    close: () => channel?.close(),
  }
}
