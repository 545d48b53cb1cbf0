import { act, render, waitFor } from '@testing-library/react'
import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noLock } from '../../src/core/platform/lock'
import { AuthQueryBridge } from '../../src/query/AuthQueryBridge'
import { authMutationOptions } from '../../src/query/authMutationOptions'
import { useAuthMutation } from '../../src/query/useAuthMutation'
import { authQueryKey } from '../../src/query/authQueryKey'
import { syncQueryClientWithAuth } from '../../src/query/syncQueryClient'
import { useAuthQuery } from '../../src/query/useAuthQuery'
import { AuthProvider } from '../../src/react/AuthProvider'
import { createChannelHub, createManualLifecycle } from '../helpers/fakeEnvironment'
import { createFakeTransport } from '../helpers/fakeTransport'
import { flush, ManualClock } from '../helpers/manualClock'
import { renderWithAuth } from '../helpers/renderWithAuth'
import { seededRandom, setup, sharedStorage } from '../helpers/testClient'
import { createTestQueryClient, fakeApi, json, withQuery } from './helpers'

function seed(queryClient: ReturnType<typeof createTestQueryClient>) {
  queryClient.setQueryData(authQueryKey(['todos'], 'user-a'), 'a-todos')
  queryClient.setQueryData(authQueryKey(['profile'], 'user-a'), 'a-profile')
  queryClient.setQueryData(authQueryKey(['todos'], 'user-b'), 'b-todos')
  queryClient.setQueryData(['public', 'news'], 'news')
}

const keys = (queryClient: ReturnType<typeof createTestQueryClient>) =>
  queryClient
    .getQueryCache()
    .getAll()
    .map((q) => JSON.stringify(q.queryKey))
    .sort()

describe('syncQueryClientWithAuth / <AuthQueryBridge />', () => {
  it('removes every user-scoped query on sign-out and keeps unscoped ones', async () => {
    const queryClient = createTestQueryClient()
    const { client, transport } = renderWithAuth(<p />, { inner: withQuery(queryClient) })
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-a' })))
    seed(queryClient)
    await act(() => client.signOut())
    expect(keys(queryClient)).toEqual(['["public","news"]'])
  })

  it("removes the previous user's queries when another user signs in", async () => {
    const queryClient = createTestQueryClient()
    const { client, transport } = renderWithAuth(<p />, { inner: withQuery(queryClient) })
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-a' })))
    seed(queryClient)
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-b' })))
    expect(keys(queryClient)).toEqual(['["public","news"]', '["todos",{"authUser":"user-b"}]'])
  })

  it('keeps the cache across token refreshes of the same session', async () => {
    const queryClient = createTestQueryClient()
    // The fake transport mints refreshed tokens for `sub`, as Cognito keeps the user.
    const { client, transport, advance } = renderWithAuth(<p />, {
      inner: withQuery(queryClient),
      sub: 'user-a',
    })
    await act(async () => void client.setSession(transport.signIn()))
    seed(queryClient)
    const before = keys(queryClient)
    await advance(3 * 3_600_000)
    expect(transport.calls.length).toBeGreaterThanOrEqual(3)
    expect(keys(queryClient)).toEqual(before)
  })

  it('reconciles a cache restored with another user data when the provider mounts', async () => {
    const queryClient = createTestQueryClient()
    const env = setup()
    env.client.setSession(env.transport.signIn({ sub: 'user-b' })) // the session in storage
    seed(queryClient) // e.g. from a persister, written while user-a was signed in
    render(
      <StrictMode>
        <AuthProvider client={env.client}>
          <QueryClientProvider client={queryClient}>
            <AuthQueryBridge />
          </QueryClientProvider>
        </AuthProvider>
      </StrictMode>,
    )
    await act(flush)
    expect(keys(queryClient)).toEqual(['["public","news"]', '["todos",{"authUser":"user-b"}]'])
  })

  it('follows another tab: its sign-out and its sign-in of another user clear this tab', async () => {
    const hub = createChannelHub()
    const storage = sharedStorage()
    const clock = new ManualClock()
    const transport = createFakeTransport({ now: clock.now })
    const tab = (seedNumber: number) =>
      createAuthClient({
        clientId: 'testclient',
        transport,
        environment: {
          clock,
          channel: hub.channel(),
          lock: noLock,
          lifecycle: createManualLifecycle().lifecycle,
          random: seededRandom(seedNumber),
        },
        storage,
      })
    const here = tab(1)
    const other = tab(2)
    const stopOther = other.mount()
    const stopHere = here.mount()
    const queryClient = createTestQueryClient()
    const stopSync = syncQueryClientWithAuth(queryClient, here)

    other.setSession(transport.signIn({ sub: 'user-a' }))
    await flush()
    expect(here.getSnapshot().tokens?.accessClaims.sub).toBe('user-a')
    seed(queryClient)

    other.setSession(transport.signIn({ sub: 'user-b' }))
    await flush()
    expect(keys(queryClient)).toEqual(['["public","news"]', '["todos",{"authUser":"user-b"}]'])

    await other.signOut()
    await flush()
    expect(here.getSnapshot().status).toBe('unauthenticated')
    expect(keys(queryClient)).toEqual(['["public","news"]'])
    stopSync()
    stopHere()
    stopOther()
  })

  it('cancels a request in flight when its user signs out, and its answer is not cached', async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    function Todos() {
      const query = useAuthQuery({
        queryKey: ['todos'],
        queryFn: async ({ fetch }) => json(await fetch('https://api.example/todos')),
        fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
      })
      return <p>todos: {query.status}</p>
    }
    const view = renderWithAuth(<Todos />, { inner: withQuery(queryClient) })
    const release = api.hold()
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'user-a' })))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    await act(() => view.client.signOut())
    expect(api.calls[0]!.signal!.aborted).toBe(true)
    release()
    await act(flush)
    expect(queryClient.getQueryData(authQueryKey(['todos'], 'user-a'))).toBeUndefined()
    expect(keys(queryClient)).toEqual(['["todos",{"authUser":null}]'])
  })

  it('invalidates the user queries when a new session starts, so active ones refetch', async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    function Todos() {
      const query = useAuthQuery({
        queryKey: ['todos'],
        queryFn: async ({ fetch }) => json(await fetch('https://api.example/todos')),
        fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
        staleTime: Infinity,
      })
      return <p>todos: {query.data?.authorization.slice(-8) ?? '-'}</p>
    }
    const view = renderWithAuth(<Todos />, { inner: withQuery(queryClient) })
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'user-a' })))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    // The same user signs in again (say in another tab): new session, same cache scope.
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'user-a' })))
    await waitFor(() => expect(api.calls).toHaveLength(2))
    expect(api.calls[1]!.authorization).toBe(
      `Bearer ${view.client.getSnapshot().tokens!.accessToken}`,
    )
  })

  it('clears the mutation cache on sign-out', async () => {
    const queryClient = createTestQueryClient()
    const { client, transport } = renderWithAuth(<p />, { inner: withQuery(queryClient) })
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-a' })))
    const api = fakeApi()
    await queryClient
      .getMutationCache()
      .build(
        queryClient,
        authMutationOptions(client, {
          mutationFn: async (text: string, { fetch }) =>
            json(await fetch('https://api.example/notes', { method: 'POST', body: text })),
          fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
        }),
      )
      .execute('secret note')
    expect(queryClient.getMutationCache().getAll()).toHaveLength(1)
    await act(() => client.signOut())
    expect(queryClient.getMutationCache().getAll()).toHaveLength(0)
  })
})

describe('useAuthMutation', () => {
  it('sends the Bearer token, and fails with NoSession without retrying when signed out', async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    let mutate: ((text: string) => Promise<unknown>) | undefined
    function Notes() {
      const mutation = useAuthMutation({
        mutationFn: async (text: string, { fetch, userId }) => ({
          ...(await json(await fetch('https://api.example/notes', { method: 'POST', body: text }))),
          userId,
        }),
        retry: 3,
        fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
      })
      mutate = mutation.mutateAsync
      return <p>mutation: {mutation.status}</p>
    }
    const view = renderWithAuth(<Notes />, { inner: withQuery(queryClient) })
    await expect(act(() => mutate!('too early'))).rejects.toMatchObject({ code: 'NoSession' })
    expect(api.calls).toHaveLength(0)
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'writer' })))
    let result: unknown
    await act(async () => {
      result = await mutate!('hello')
    })
    expect(result).toMatchObject({
      userId: 'writer',
      authorization: `Bearer ${view.client.getSnapshot().tokens!.accessToken}`,
    })
  })
})
