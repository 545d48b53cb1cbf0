import type { AuthClientOptions } from '../../src/core/client/authClient'
import type { Lock } from '../../src/core/platform/lock'
import { createChannelHub, createLockManager } from './fakeEnvironment'
import { createFakeTransport } from './fakeTransport'
import { ManualClock } from './manualClock'
import { setup, sharedStorage } from './testClient'

export interface BrowserOptions extends Partial<Omit<AuthClientOptions, 'transport' | 'storage'>> {
  rotate?: boolean
  lock?: Lock
  expiresIn?: number
}

/** N tabs of one browser: one server, one storage, one channel hub, one lock manager. */
export function browser(tabs: number, options: BrowserOptions = {}) {
  const { rotate, lock, expiresIn, ...clientOptions } = options
  const clock = new ManualClock()
  const transport = createFakeTransport({
    now: clock.now,
    rotate: rotate ?? true,
    expiresIn: expiresIn ?? 3600,
  })
  const storage = sharedStorage()
  const hub = createChannelHub()
  const locks = createLockManager()
  const all = Array.from({ length: tabs }, (_, i) =>
    setup({
      ...clientOptions,
      clock,
      transport,
      storage,
      channel: hub.channel(),
      lock: lock ?? locks.lock,
      seed: i + 1,
    }),
  )
  for (const tab of all) tab.client.mount()
  return { clock, transport, storage, hub, locks, tabs: all }
}
