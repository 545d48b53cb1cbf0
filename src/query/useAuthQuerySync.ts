import { type QueryClient, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useClient } from '../react/context'
import { type AuthQuerySyncOptions, syncQueryClientWithAuth } from './syncQueryClient'

/**
 * Wires the provider's auth client to a QueryClient (see `syncQueryClientWithAuth`): user-scoped
 * queries are removed on sign-out and on a change of user, in this tab or another, and invalidated
 * when a new session starts. Call it once, below both AuthProvider and QueryClientProvider.
 *
 * @param queryClient @default the QueryClientProvider's client
 */
export function useAuthQuerySync(
  options: AuthQuerySyncOptions = {},
  queryClient?: QueryClient,
): void {
  const client = useClient('useAuthQuerySync')
  const contextClient = useQueryClient(queryClient)
  const { invalidateOnSignIn, clearMutations } = options
  useEffect(
    () =>
      syncQueryClientWithAuth(contextClient, client, {
        ...(invalidateOnSignIn !== undefined && { invalidateOnSignIn }),
        ...(clearMutations !== undefined && { clearMutations }),
      }),
    [contextClient, client, invalidateOnSignIn, clearMutations],
  )
}
