import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { AuthQueryBridge } from '../../src/query/AuthQueryBridge'

/** A real QueryClient with quick retries and no garbage collection during a test. */
export function createTestQueryClient(retry = 3) {
  return new QueryClient({
    defaultOptions: { queries: { retry, retryDelay: 0, gcTime: Infinity } },
  })
}

/** `inner` for renderWithAuth: QueryClientProvider plus the bridge. */
export const withQuery = (queryClient: QueryClient, bridge = true) =>
  function inner(children: ReactNode) {
    return (
      <QueryClientProvider client={queryClient}>
        {bridge && <AuthQueryBridge />}
        {children}
      </QueryClientProvider>
    )
  }

export interface ApiCall {
  url: string
  authorization: string | null
  signal: AbortSignal | null | undefined
}

/**
 * An API that answers `{ url, authorization }` as JSON, or `status()` when it returns a number.
 * Replies can be held back with `hold()`.
 */
export function fakeApi(status: (authorization: string | null) => number = () => 200) {
  const calls: ApiCall[] = []
  let gate: Promise<void> | undefined
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const authorization = new Headers(init?.headers).get('authorization')
    const url = String(input)
    calls.push({ url, authorization, signal: init?.signal })
    if (gate) await gate
    init?.signal?.throwIfAborted()
    const code = status(authorization)
    return new Response(JSON.stringify({ url, authorization }), { status: code })
  }
  return {
    fetch,
    calls,
    hold() {
      let release!: () => void
      gate = new Promise<void>((resolve) => (release = resolve))
      return () => {
        gate = undefined
        release()
      }
    },
  }
}

/** A query function body: fetch as JSON, throwing an error with the `status` on non-2xx. */
export async function json(response: Response): Promise<{ url: string; authorization: string }> {
  if (!response.ok) {
    throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status })
  }
  return (await response.json()) as { url: string; authorization: string }
}
