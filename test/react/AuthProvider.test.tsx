import { act, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { describe, expect, it } from 'vitest'
import type { AuthClient } from '../../src/core/client/authClient'
import { AuthProvider } from '../../src/react/AuthProvider'
import { useAuth } from '../../src/react/useAuth'
import { useAuthClient } from '../../src/react/useAuthClient'
import { useAuthFetch } from '../../src/react/useAuthFetch'
import { useAuthState } from '../../src/react/useAuthState'
import { useTokens } from '../../src/react/useTokens'
import { flush } from '../helpers/manualClock'
import { channelListeners, providerFakes, renderWithAuth } from '../helpers/renderWithAuth'
import { setup } from '../helpers/testClient'

function Status() {
  return <p>status: {useAuthState((s) => s.status)}</p>
}

describe('AuthProvider with a client', () => {
  it('mounts the client once under StrictMode: one timer, one lifecycle and channel listener, no refresh', async () => {
    const { client, transport, clock, life, channel, getByText } = renderWithAuth(<Status />)
    getByText('status: unauthenticated')
    await act(async () => void client.setSession(transport.signIn()))
    getByText('status: authenticated')
    expect(clock.pendingTimers).toBe(1)
    expect(life.listenerCount).toBe(1)
    expect(channelListeners(channel)).toBe(1)
    expect(transport.calls).toHaveLength(0)
  })

  it('makes one refresh, not two, when StrictMode mounts a client whose restored session is due', async () => {
    const first = setup()
    first.client.setSession(first.transport.signIn())
    first.clock.sleep(2 * 3_600_000) // the stored access token has expired
    const gate = first.transport.gate() // hold the refresh open across both mounts
    const view = renderWithAuth(<Status />, {
      storage: first.storage,
      clock: first.clock,
      transport: first.transport,
    })
    view.getByText('status: authenticated')
    await act(flush)
    expect(first.transport.calls).toHaveLength(1)
    gate()
    await act(flush)
    expect(first.transport.calls).toHaveLength(1)
    expect(view.client.getSnapshot().tokens!.expiresAt).toBeGreaterThan(first.clock.now())
    expect(view.clock.pendingTimers).toBe(1)
  })

  it('unmounts the client on unmount and never disposes a client it was given', async () => {
    const { client, transport, clock, life, channel, unmount } = renderWithAuth(<Status />)
    await act(async () => void client.setSession(transport.signIn()))
    unmount()
    await flush()
    expect(clock.pendingTimers).toBe(0)
    expect(life.listenerCount).toBe(0)
    expect(channelListeners(channel)).toBe(0)
    // Still usable: a disposed client would reject with Disposed.
    await expect(client.getAccessToken()).resolves.toEqual(expect.any(String))
    const again = client.mount()
    expect(clock.pendingTimers).toBe(1)
    again()
  })
})

describe('AuthProvider with options', () => {
  it('creates one client that survives the StrictMode double mount, and releases it on unmount', async () => {
    const { clock, life, channel, transport, options } = providerFakes()
    const seen = new Set<AuthClient>()
    function Probe() {
      const client = useAuthClient()
      const { status } = useAuth()
      seen.add(client)
      return <p>{status}</p>
    }
    const view = render(
      <StrictMode>
        <AuthProvider options={options}>
          <Probe />
        </AuthProvider>
      </StrictMode>,
    )
    await act(flush)
    view.getByText('unauthenticated')
    expect(seen.size).toBe(1)
    const [client] = seen
    await act(async () => void client!.setSession(transport.signIn()))
    view.getByText('authenticated')
    expect(clock.pendingTimers).toBe(1)
    expect(life.listenerCount).toBe(1)
    expect(channel.listenerCount).toBe(1)
    await expect(client!.getAccessToken()).resolves.toEqual(expect.any(String))

    view.unmount()
    await flush()
    // Nothing left running: no timer, no lifecycle or channel listener. No disposal is needed (a
    // client that holds nothing is garbage-collected with the provider), and none happened.
    expect(clock.pendingTimers).toBe(0)
    expect(life.listenerCount).toBe(0)
    expect(channel.listenerCount).toBe(0)
    await clock.advance(2 * 3_600_000)
    expect(transport.calls).toHaveLength(0)
    await expect(client!.getAccessToken()).resolves.toEqual(expect.any(String))
  })

  it('a provider that loses its client says so; the advice is for development builds', () => {
    const { client } = setup()
    const { options } = providerFakes()
    const lose = (env: string) => {
      const before = process.env.NODE_ENV
      process.env.NODE_ENV = env
      const quiet = console.error
      console.error = () => {} // React reports the render error too
      try {
        const view = render(<AuthProvider client={client} />)
        view.rerender(<AuthProvider options={options} />)
      } catch (error) {
        return (error as Error).message
      } finally {
        console.error = quiet
        process.env.NODE_ENV = before
      }
      return 'no error'
    }
    expect(lose('test')).toContain('lost its `client`. Keep one kind of prop')
    expect(lose('production')).toBe('[react-cognito-refresh] <AuthProvider> lost its `client`.')
  })
})

describe('hooks outside an AuthProvider', () => {
  const hooks = {
    useAuth: () => useAuth(),
    useAuthState: () => useAuthState(),
    useTokens: () => useTokens(),
    useAuthFetch: () => useAuthFetch(),
    useAuthClient: () => useAuthClient(),
  }
  for (const [name, hook] of Object.entries(hooks)) {
    it(`${name} throws an Error that names the hook and AuthProvider`, () => {
      function Bare() {
        hook()
        return null
      }
      // React logs the error it rethrows (React 18 through jsdom's error event); keep output readable.
      const error = console.error
      const quiet = (event: Event) => event.preventDefault()
      console.error = () => undefined
      window.addEventListener('error', quiet)
      try {
        expect(() => render(<Bare />)).toThrow(
          `[react-cognito-refresh] ${name}() must be used inside <AuthProvider>.`,
        )
      } finally {
        console.error = error
        window.removeEventListener('error', quiet)
      }
    })
  }
})
