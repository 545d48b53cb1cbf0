import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../../src/core/client/authClient'
import { isAuthError } from '../../../src/core/errors'
import { noChannel } from '../../../src/core/platform/channel'
import { noLifecycle } from '../../../src/core/platform/lifecycle'
import type { Lock } from '../../../src/core/platform/lock'
import { memoryStorage } from '../../../src/core/platform/storage'
import { createFakeTransport } from '../../helpers/fakeTransport'
import { ManualClock } from '../../helpers/manualClock'

describe('the environment option', () => {
  it('rejects the seams at the top level, naming where they moved', () => {
    const transport = createFakeTransport()
    const legacy = { clientId: 'c', transport, clock: new ManualClock(), lock: undefined }
    let thrown: unknown
    try {
      createAuthClient(legacy as never)
    } catch (error) {
      thrown = error
    }
    expect(isAuthError(thrown) && thrown.code).toBe('ConfigurationError')
    expect(String((thrown as Error).message)).toContain('Pass clock, lock in `environment`.')
  })

  it('every seam given there is the one the client uses', async () => {
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now, expiresIn: 300 })
    const requested: string[] = []
    const lock: Lock = {
      request: async (name, _timeoutMs, fn) => {
        requested.push(name)
        return { acquired: true, value: await fn() }
      },
    }
    const ids = [0.25, 0.5, 0.75]
    let draws = 0
    const client = createAuthClient({
      clientId: 'c',
      transport,
      storage: memoryStorage(),
      versionMarker: false,
      environment: {
        clock,
        lock,
        channel: noChannel,
        lifecycle: noLifecycle,
        random: () => ids[draws++ % ids.length]!,
      },
    })
    client.mount()
    const tokens = client.setSession(transport.signIn())
    expect(draws).toBeGreaterThan(0) // ids and jitter from the injected random
    expect(tokens.signedInAt).toBe(clock.now())
    await clock.advance(300_000) // the refresh timer runs on the injected clock
    expect(transport.calls.length).toBeGreaterThanOrEqual(1)
    expect(requested).toEqual(transport.calls.map(() => 'react-cognito-refresh.c.refresh'))
  })
})
