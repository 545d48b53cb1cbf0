import { act, render } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { systemClock } from '../../src/core/platform/clock'
import { noLock } from '../../src/core/platform/lock'
import { AuthProvider } from '../../src/react/AuthProvider'
import { useAuth } from '../../src/react/useAuth'
import { useAuthFetch } from '../../src/react/useAuthFetch'
import { useTokens } from '../../src/react/useTokens'
import { createChannelHub, createManualLifecycle } from '../helpers/fakeEnvironment'
import { createFakeTransport } from '../helpers/fakeTransport'
import { renderHookWithAuth } from '../helpers/renderWithAuth'
import { seededRandom, setup, sharedStorage } from '../helpers/testClient'

describe('useAuth', () => {
  it('reports status, claims and the sign-out reason, and its actions act on the client', async () => {
    const { result, transport, client } = renderHookWithAuth(() => useAuth())
    expect(result.current).toMatchObject({
      status: 'unauthenticated',
      refreshStatus: 'idle',
      isAuthenticated: false,
      userId: undefined,
      claims: null,
      error: null,
    })
    const actions = [result.current.setSession, result.current.refresh, result.current.signOut]
    await act(async () => void result.current.setSession(transport.signIn({ sub: 'user-1' })))
    expect(result.current).toMatchObject({
      status: 'authenticated',
      isAuthenticated: true,
      userId: 'user-1',
      claims: { sub: 'user-1', email: 'demo@example.com', token_use: 'id' },
    })
    await act(() => result.current.refresh({ force: true }).then(() => undefined))
    expect(transport.calls).toHaveLength(1)
    expect(client.getSnapshot().tokens!.version).toBe(2)
    // Actions keep their identity across state changes.
    expect([result.current.setSession, result.current.refresh, result.current.signOut]).toEqual(
      actions,
    )
    await act(() => result.current.signOut())
    expect(result.current).toMatchObject({
      status: 'unauthenticated',
      signOutReason: 'signOut',
      userId: undefined,
    })
  })

  it('shows a retrying refresh with its error, and keeps the session', async () => {
    const { result, transport, client } = renderHookWithAuth(() => useAuth())
    await act(async () => void client.setSession(transport.signIn()))
    transport.fail('InternalErrorException')
    await act(() => client.refresh({ force: true }).catch(() => undefined))
    expect(result.current).toMatchObject({
      status: 'authenticated',
      refreshStatus: 'retrying',
      errorCode: 'InternalErrorException',
    })
  })
})

describe('useAuthFetch', () => {
  it('returns the same function across re-renders and refreshes', async () => {
    const { result, rerender, client, transport, advance } = renderHookWithAuth(() =>
      useAuthFetch(),
    )
    const first = result.current
    await act(async () => void client.setSession(transport.signIn()))
    rerender()
    await advance(2 * 3_600_000)
    expect(transport.calls.length).toBeGreaterThan(0)
    expect(result.current).toBe(first)
  })

  it('stays the same with an inline allowedOrigins array, and changes when its contents do', () => {
    let origins = ['https://api.example.com']
    const { result, rerender } = renderHookWithAuth(() =>
      useAuthFetch({ allowedOrigins: [...origins] }),
    )
    const first = result.current
    rerender()
    expect(result.current).toBe(first)
    origins = ['https://api.example.com', 'https://files.example.com']
    rerender()
    expect(result.current).not.toBe(first)
  })

  it('sends the Bearer token from a component effect', async () => {
    const seen: Array<string | null> = []
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('authorization'))
      return new Response('{}', { status: 200 })
    }
    function Loader() {
      const authFetch = useAuthFetch({ fetch })
      useEffect(() => {
        void authFetch('/api/me')
      }, [authFetch])
      return null
    }
    const { client, transport } = setup()
    client.setSession(transport.signIn())
    render(
      <AuthProvider client={client}>
        <Loader />
      </AuthProvider>,
    )
    await act(async () => undefined)
    expect(seen).toEqual([`Bearer ${client.getSnapshot().tokens!.accessToken}`])
  })
})

describe('with vi fake timers and the system clock', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('refreshes on schedule and re-renders the access-token reader once per refresh', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 21, 12) })
    const transport = createFakeTransport({ now: () => Date.now(), expiresIn: 3600 })
    const life = createManualLifecycle()
    const client = createAuthClient({
      clientId: 'testclient',
      transport,
      environment: {
        clock: systemClock,
        lifecycle: life.lifecycle,
        channel: createChannelHub().channel(),
        lock: noLock,
        random: seededRandom(1),
      },
      storage: sharedStorage(),
    })
    let renders = 0
    function Token() {
      const token = useTokens((t) => t?.accessToken)
      useEffect(() => {
        renders++
      }, [token])
      return <p>{token === undefined ? 'none' : 'token'}</p>
    }
    const view = render(
      <StrictMode>
        <AuthProvider client={client}>
          <Token />
        </AuthProvider>
      </StrictMode>,
    )
    await act(async () => void client.setSession(transport.signIn()))
    view.getByText('token')
    renders = 0
    expect(vi.getTimerCount()).toBe(1) // the schedule: one timer despite StrictMode
    for (let i = 1; i <= 3; i++) {
      await act(() => vi.advanceTimersByTimeAsync(3_600_000))
      expect(transport.calls).toHaveLength(i)
      expect(renders).toBe(i)
    }
    expect(client.getSnapshot().tokens!.expiresAt).toBeGreaterThan(Date.now())
    view.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
