import type { Query, QueryClient } from '@tanstack/react-query'
import type { AuthClient } from '../core/client/authClient'
import type { AuthSnapshot, SessionStatus } from '../core/state'
import { userOf } from '../core/tokens'
import { authUserOfKey } from './authQueryKey'

export interface AuthQuerySyncOptions {
  /**
   * Invalidate the user's queries when a new session starts (a sign-in here or in another tab),
   * so active ones refetch with the new tokens. Not on page load (a restored session). @default true
   */
  invalidateOnSignIn?: boolean
  /**
   * Clear the mutation cache when the session ends or the user changes: mutation variables are the
   * user's data too. @default true
   */
  clearMutations?: boolean
}

interface Seen {
  status: SessionStatus
  userId: string | undefined
  sessionId: string | undefined
}

const seen = (snapshot: AuthSnapshot): Seen => ({
  status: snapshot.status,
  userId: snapshot.tokens === null ? undefined : (userOf(snapshot.tokens) ?? ''),
  sessionId: snapshot.tokens?.sessionId,
})

/**
 * Keeps a QueryClient's user-scoped cache (keys built by `authQueryKey`, which
 * `useAuthQuery` and `authQueryOptions` do) in step with the session, whatever tab changed it:
 *
 * - the session ends (sign-out, rejected refresh token): every user-scoped query is cancelled and
 *   removed;
 * - another user signs in: the previous user's queries are cancelled and removed;
 * - a new session starts: the user's queries are invalidated (refetched if active).
 *
 * Framework-free; `useAuthQuerySync()` and `<AuthQueryBridge />` call it in an effect.
 * Returns the unsubscribe.
 */
export function syncQueryClientWithAuth(
  queryClient: QueryClient,
  client: AuthClient,
  options: AuthQuerySyncOptions = {},
): () => void {
  const { invalidateOnSignIn = true, clearMutations = true } = options

  const remove = (shouldGo: (user: string | null) => boolean) => {
    const predicate = (query: Query) => {
      const user = authUserOfKey(query.queryKey)
      return user !== undefined && shouldGo(user)
    }
    // Cancel first: an answer still on its way must not land in a cache that was emptied.
    void queryClient.cancelQueries({ predicate })
    queryClient.removeQueries({ predicate })
  }

  const apply = (previous: Seen, next: Seen) => {
    if (next.status === 'loading') return
    if (next.status === 'unauthenticated') {
      remove(() => true)
      if (clearMutations && previous.status === 'authenticated') {
        queryClient.getMutationCache().clear()
      }
      return
    }
    remove((user) => user !== next.userId)
    if (clearMutations && previous.status === 'authenticated' && previous.userId !== next.userId) {
      queryClient.getMutationCache().clear()
    }
    const newSession = previous.sessionId !== next.sessionId && previous.status !== 'loading'
    if (invalidateOnSignIn && newSession) {
      void queryClient.invalidateQueries({
        predicate: (query) => authUserOfKey(query.queryKey) === next.userId,
      })
    }
  }

  let last = seen(client.getSnapshot())
  // A cache restored from a persister may hold another user's data: reconcile at once.
  apply({ status: 'loading', userId: undefined, sessionId: undefined }, last)
  return client.subscribe(() => {
    const next = seen(client.getSnapshot())
    if (
      next.status === last.status &&
      next.userId === last.userId &&
      next.sessionId === last.sessionId
    ) {
      return // a refresh: same user, same session
    }
    const previous = last
    last = next
    apply(previous, next)
  })
}
