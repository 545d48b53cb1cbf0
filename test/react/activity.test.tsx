/**
 * React 19.2's <Activity mode="hidden"> unmounts a subtree's effects and keeps its state. A provider
 * that owns its client (the `options` prop) must come back working when the subtree is shown again.
 */
import { act, render } from '@testing-library/react'
import { Activity } from 'react'
import { describe, expect, it } from 'vitest'
import type { AuthClient } from '../../src/core/client/authClient'
import { AuthProvider } from '../../src/react/AuthProvider'
import { useAuthClient } from '../../src/react/useAuthClient'
import { useAuthState } from '../../src/react/useAuthState'
import { flush } from '../helpers/manualClock'
import { providerFakes } from '../helpers/renderWithAuth'

describe('AuthProvider with options under <Activity>', () => {
  it('hidden: nothing runs; shown again: the same client refreshes on schedule', async () => {
    const { clock, life, channel, transport, options } = providerFakes(5)
    const seen = new Set<AuthClient>()
    function Probe() {
      seen.add(useAuthClient())
      return <p>{useAuthState((s) => s.status)}</p>
    }
    const tree = (mode: 'visible' | 'hidden') => (
      <Activity mode={mode}>
        <AuthProvider options={options}>
          <Probe />
        </AuthProvider>
      </Activity>
    )
    const view = render(tree('visible'))
    await act(flush)
    const [client] = seen
    await act(async () => void client!.setSession(transport.signIn()))
    expect(clock.pendingTimers).toBe(1)

    view.rerender(tree('hidden'))
    await act(flush)
    expect(clock.pendingTimers).toBe(0)
    expect(life.listenerCount).toBe(0)
    expect(channel.listenerCount).toBe(0)

    view.rerender(tree('visible'))
    await act(flush)
    expect(seen.size).toBe(1) // state kept: the same client
    expect(clock.pendingTimers).toBe(1)
    expect(life.listenerCount).toBe(1)
    expect(channel.listenerCount).toBe(1)
    await act(() => clock.advance(3_600_000))
    expect(transport.calls.length).toBeGreaterThan(0)
    expect(client!.getSnapshot()).toMatchObject({ status: 'authenticated', refresh: 'idle' })
    expect(client!.getSnapshot().tokens!.expiresAt).toBeGreaterThan(clock.now())
    view.unmount()
  })
})
