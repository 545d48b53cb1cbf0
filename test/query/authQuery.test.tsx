import { act, waitFor } from '@testing-library/react'
import { useQuery } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { authQueryKey } from '../../src/query/authQueryKey'
import { authQueryOptions } from '../../src/query/authQueryOptions'
import { useAuthQuery, useAuthQueryOptions } from '../../src/query/useAuthQuery'
import { renderWithAuth } from '../helpers/renderWithAuth'
import { createTestQueryClient, fakeApi, json, withQuery } from './helpers'

function Todos({ fetchImpl }: { fetchImpl: typeof fetch }) {
  const query = useAuthQuery({
    queryKey: ['todos'],
    queryFn: async ({ fetch }) => json(await fetch('https://api.example/todos')),
    fetchOptions: { fetch: fetchImpl, allowedOrigins: ['https://api.example'] },
  })
  return (
    <p>
      todos: {query.status}/{query.fetchStatus} {query.data ? 'data' : ''}
    </p>
  )
}

describe('useAuthQuery', () => {
  it('waits while signed out, then fetches with the Bearer token under a user-scoped key', async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    const view = renderWithAuth(<Todos fetchImpl={api.fetch} />, { inner: withQuery(queryClient) })
    view.getByText('todos: pending/idle')
    expect(api.calls).toHaveLength(0)

    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'user-a' })))
    await waitFor(() => view.getByText('todos: success/idle data'))
    const token = view.client.getSnapshot().tokens!.accessToken
    expect(api.calls).toHaveLength(1)
    expect(api.calls[0]!.authorization).toBe(`Bearer ${token}`)
    expect(queryClient.getQueryData(['todos', { authUser: 'user-a' }])).toEqual({
      url: 'https://api.example/todos',
      authorization: `Bearer ${token}`,
    })
    // Prefix matching on the caller's own key still reaches the scoped query.
    expect(queryClient.getQueryCache().findAll({ queryKey: ['todos'] })).toHaveLength(1)
  })

  it("passes the query's abort signal to fetch: cancelling the query aborts the request", async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    const view = renderWithAuth(<Todos fetchImpl={api.fetch} />, { inner: withQuery(queryClient) })
    const release = api.hold()
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'user-a' })))
    await waitFor(() => expect(api.calls).toHaveLength(1))
    const signal = api.calls[0]!.signal!
    expect(signal.aborted).toBe(false)
    await act(() => queryClient.cancelQueries({ queryKey: ['todos'] }))
    expect(signal.aborted).toBe(true)
    release()
  })

  it('does not retry after the session ended: one request, one refresh, an AuthError', async () => {
    const queryClient = createTestQueryClient(3)
    const api = fakeApi(() => 401) // the API rejects every token
    let queryFnCalls = 0
    function Profile() {
      const query = useAuthQuery({
        queryKey: ['profile'],
        queryFn: async ({ fetch }) => {
          queryFnCalls++
          return json(await fetch('https://api.example/profile'))
        },
        fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
      })
      return <p>profile: {query.status}</p>
    }
    const view = renderWithAuth(<Profile />, { inner: withQuery(queryClient, false) })
    view.transport.fail('NotAuthorizedException') // the forced refresh after the 401 is rejected
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'gone' })))
    await waitFor(() => expect(view.client.getSnapshot().status).toBe('unauthenticated'))
    // The query either failed with the terminal AuthError or, its observer gone with the user,
    // was cancelled (TanStack reverts a cancelled query whose signal was used). Never retried.
    await waitFor(() => expect(queryClient.isFetching()).toBe(0))
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)))
    expect(queryClient.isFetching()).toBe(0)
    expect(queryFnCalls).toBe(1)
    expect(api.calls).toHaveLength(1)
    expect(view.transport.calls).toHaveLength(1)
    const state = queryClient.getQueryState(authQueryKey(['profile'], 'gone'))!
    expect(state.fetchFailureCount).toBeLessThanOrEqual(1)
    if (state.status === 'error') expect(state.error).toMatchObject({ kind: 'terminal' })
  })

  it('does not retry a 401 the query function throws, and retries a 500 as configured', async () => {
    const queryClient = createTestQueryClient(2)
    let status = 401
    const api = fakeApi(() => status)
    function Thing({ name }: { name: string }) {
      const query = useAuthQuery({
        queryKey: [name],
        queryFn: async ({ fetch }) => json(await fetch(`https://api.example/${name}`)),
        fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
      })
      return (
        <p>
          {name}: {query.status}
        </p>
      )
    }
    const view = renderWithAuth(<Thing name="a" />, { inner: withQuery(queryClient) })
    await act(async () => void view.client.setSession(view.transport.signIn()))
    await waitFor(() => view.getByText('a: error'))
    // authFetch retried the 401 once with a refreshed token; TanStack did not retry at all.
    expect(api.calls).toHaveLength(2)
    expect(view.transport.calls).toHaveLength(1)

    status = 500
    view.rerender(<Thing name="b" />)
    await waitFor(() => view.getByText('b: error'))
    expect(api.calls.filter((c) => c.url.endsWith('/b'))).toHaveLength(3) // 1 + retry: 2
  })

  it('useAuthQueryOptions works with useQuery and keeps the caller options', async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    function Count() {
      const options = useAuthQueryOptions({
        queryKey: ['count', 7] as const,
        queryFn: async ({ fetch, queryKey, userId }) => {
          const body = await json(await fetch('https://api.example/count'))
          return { n: queryKey[1], userId, ok: body.url.length > 0 }
        },
        select: (data) => `${data.n}:${data.userId}:${data.ok}`,
        fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
      })
      const query = useQuery(options)
      return <p>count: {query.data ?? '-'}</p>
    }
    const view = renderWithAuth(<Count />, { inner: withQuery(queryClient) })
    await act(async () => void view.client.setSession(view.transport.signIn({ sub: 'u7' })))
    await waitFor(() => view.getByText('count: 7:u7:true'))
  })
})

describe('authQueryOptions (outside React)', () => {
  it('fails once with the terminal AuthError when the refresh after a 401 ends the session', async () => {
    const queryClient = createTestQueryClient(3)
    const api = fakeApi(() => 401)
    const { client, transport } = renderWithAuth(<p />)
    await act(async () => void client.setSession(transport.signIn()))
    transport.fail('NotAuthorizedException')
    let calls = 0
    const options = authQueryOptions(client, {
      queryKey: ['profile'],
      queryFn: async ({ fetch }) => {
        calls++
        return json(await fetch('https://api.example/profile'))
      },
      fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
    })
    const error = await queryClient.fetchQuery(options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
    expect(calls).toBe(1)
    expect(api.calls).toHaveLength(1)
    expect(transport.calls).toHaveLength(1)
    expect(queryClient.getQueryState(options.queryKey)!.fetchFailureCount).toBe(1)
  })

  it('scopes to the user signed in at call time and works with fetchQuery', async () => {
    const queryClient = createTestQueryClient()
    const api = fakeApi()
    const { client, transport } = renderWithAuth(<p />)
    await act(async () => void client.setSession(transport.signIn({ sub: 'loader-user' })))
    const options = authQueryOptions(client, {
      queryKey: ['settings'],
      queryFn: async ({ fetch }) => json(await fetch('https://api.example/settings')),
      fetchOptions: { fetch: api.fetch, allowedOrigins: ['https://api.example'] },
    })
    expect(options.queryKey).toEqual(authQueryKey(['settings'], 'loader-user'))
    const data = await queryClient.fetchQuery(options)
    expect(data.authorization).toBe(`Bearer ${client.getSnapshot().tokens!.accessToken}`)
  })

  it('sends the token only where fetchOptions allow, and never retries a refused origin', async () => {
    const queryClient = createTestQueryClient(3)
    const api = fakeApi()
    const { client, transport } = renderWithAuth(<p />)
    await act(async () => void client.setSession(transport.signIn({ sub: 'origin-user' })))
    let calls = 0
    const query = (url: string, allowedOrigins?: string[]) =>
      authQueryOptions(client, {
        queryKey: ['where', url],
        queryFn: async ({ fetch }) => {
          calls++
          return json(await fetch(url))
        },
        fetchOptions: { fetch: api.fetch, ...(allowedOrigins && { allowedOrigins }) },
      })
    // By default: the page's own origin only.
    expect((await queryClient.fetchQuery(query('/todos'))).url).toBe(
      new URL('/todos', document.baseURI).href,
    )
    await expect(queryClient.fetchQuery(query('https://api.example/x'))).rejects.toMatchObject({
      code: 'ConfigurationError',
    })
    // The list reaches the fetch.
    const listed = await queryClient.fetchQuery(
      query('https://api.example/y', ['https://api.example']),
    )
    expect(listed.url).toBe('https://api.example/y')
    expect(api.calls.map((c) => c.url)).toEqual([
      new URL('/todos', document.baseURI).href,
      'https://api.example/y',
    ])
    expect(calls).toBe(3) // the refused query ran once: a ConfigurationError is not retried
  })

  it('rejects with NoSession when nobody is signed in', async () => {
    const queryClient = createTestQueryClient()
    const { client } = renderWithAuth(<p />)
    const options = authQueryOptions(client, {
      queryKey: ['settings'],
      queryFn: () => 'never',
    })
    expect(options.enabled).toBe(false)
    await expect(queryClient.fetchQuery(options)).rejects.toMatchObject({ code: 'NoSession' })
  })
})
