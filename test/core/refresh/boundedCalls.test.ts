import { describe, expect, it } from 'vitest'
import { bounded } from '../../../src/core/refresh/bounded'
import { serializeTombstone } from '../../../src/core/storedSession'
import type { RefreshRequest, Transport } from '../../../src/core/transports/types'
import { browser } from '../../helpers/browser'
import { flush, ManualClock } from '../../helpers/manualClock'
import { setup } from '../../helpers/testClient'

/** A custom transport that never answers and ignores its signal, but records it. */
function hangingTransport() {
  const signals: AbortSignal[] = []
  const transport: Transport = {
    name: 'hanging',
    refresh: (_request: RefreshRequest, { signal }) => {
      signals.push(signal)
      return new Promise(() => undefined)
    },
    revoke: (_request, { signal }) => {
      signals.push(signal)
      return new Promise(() => undefined)
    },
  }
  return { transport, signals }
}

describe('no call can hang the client', () => {
  it('bounded: times out, aborts the signal it gave, and settles even if the work ignores it', async () => {
    const clock = new ManualClock()
    let given: AbortSignal | undefined
    const call = bounded(clock, 1_000, (signal) => {
      given = signal
      return new Promise<never>(() => undefined)
    })
    const outcome = call.promise.catch((error: unknown) => error)
    await clock.advance(1_000)
    expect(await outcome).toMatchObject({ code: 'TimeoutError', kind: 'retryable' })
    expect(given?.aborted).toBe(true)
    expect(clock.pendingTimers).toBe(0)
  })

  it('a transport that never answers fails as TimeoutError after refreshTimeoutMs; the session stays', async () => {
    const { transport, signals } = hangingTransport()
    const base = setup()
    const tokens = base.client.setSession(base.transport.signIn())
    const { client, clock, of } = setup({
      transport,
      storage: base.storage,
      refreshTimeoutMs: 5_000,
    })
    client.mount()
    expect(client.getSnapshot().tokens?.sessionId).toBe(tokens.sessionId)
    const pending = client.refresh({ force: true }).catch((error: unknown) => error)
    await clock.advance(5_000)
    expect(await pending).toMatchObject({ code: 'TimeoutError' })
    expect(signals[0]?.aborted).toBe(true)
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', refresh: 'retrying' })
    expect(of('refreshFailed')[0]?.error.code).toBe('TimeoutError')
  })

  it('signOut() and dispose() abort a refresh in flight, and a hanging revoke is bounded too', async () => {
    const { transport, signals } = hangingTransport()
    const base = setup()
    base.client.setSession(base.transport.signIn())
    const { client, clock, of } = setup({ transport, storage: base.storage })
    client.mount()
    const pending = client.refresh({ force: true }).catch((error: unknown) => error)
    await flush()
    const out = client.signOut()
    expect(signals[0]?.aborted).toBe(true)
    expect(await pending).toMatchObject({ code: 'SignedOut' })
    await clock.advance(20_000) // the revoke's bound (refreshTimeoutMs' default)
    await out
    expect(signals[1]?.aborted).toBe(true)
    expect(of('revokeFailed')[0]?.error.code).toBe('TimeoutError')

    const other = setup({ transport, storage: base.storage })
    other.client.setSession(base.transport.signIn())
    const inFlight = other.client.refresh({ force: true }).catch((error: unknown) => error)
    await flush()
    other.client.dispose()
    expect(signals[2]?.aborted).toBe(true)
    expect(await inFlight).toMatchObject({ code: 'AbortError' })
    expect(other.clock.pendingTimers).toBe(0)
  })

  it('a tab whose reply lands after the session ended elsewhere reports the reason that ended it', async () => {
    const { tabs, transport, storage } = browser(2)
    const tokens = tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const release = transport.gate()
    const pending = tabs[1]!.client.refresh({ force: true }).catch((error: unknown) => error)
    await flush()
    // Meanwhile another tab's refresh was refused and it ended the session: its tombstone says why.
    storage.map.set('react-cognito-refresh.testclient', serializeTombstone(tokens, 'rejected'))
    release()
    expect(await pending).toMatchObject({ code: 'SignedOut' })
    expect(tabs[1]!.signOuts()).toEqual([
      { reason: 'rejected', fromOtherTab: true, error: undefined },
    ])
  })
})
