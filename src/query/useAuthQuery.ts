import {
  type DefaultError,
  type QueryKey,
  useQuery,
  useQueryClient,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query'
import type { AuthSnapshot } from '../core/state'
import { userOf } from '../core/tokens'
import { useClient } from '../react/context'
import { useClientSelector } from '../react/useAuthState'
import type { AuthQueryKey } from './authQueryKey'
import { type AuthQueryOptions, buildAuthQuery } from './authQueryOptions'
import type { RetryValue } from './authRetry'

const selectUser = (snapshot: AuthSnapshot) =>
  snapshot.tokens === null ? undefined : (userOf(snapshot.tokens) ?? '')

/**
 * `useQuery` options scoped to the signed-in user: the key gets `{ authUser: sub }` appended, the
 * query is disabled without a session, the query function receives the auth fetch, and auth
 * failures are never retried. Re-renders when the user changes, not when tokens refresh.
 *
 * Pass the result to `useQuery`, `useSuspenseQuery` or `useQueries`.
 */
export function useAuthQueryOptions<
  TQueryFnData = unknown,
  TError = DefaultError,
  TData = TQueryFnData,
  const TQueryKey extends QueryKey = QueryKey,
>(
  options: AuthQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseQueryOptions<TQueryFnData, TError, TData, AuthQueryKey<TQueryKey>> {
  const client = useClient('useAuthQueryOptions')
  const userId = useClientSelector(client, selectUser)
  // Respect the QueryClient's default retry count for errors that are not auth failures.
  const defaultRetry = useQueryClient().getDefaultOptions().queries?.retry as
    RetryValue<TError> | undefined
  return buildAuthQuery(client, userId, options, defaultRetry)
}

/** `useQuery(useAuthQueryOptions(options))`. */
export function useAuthQuery<
  TQueryFnData = unknown,
  TError = DefaultError,
  TData = TQueryFnData,
  const TQueryKey extends QueryKey = QueryKey,
>(
  options: AuthQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseQueryResult<TData, TError> {
  return useQuery(useAuthQueryOptions(options))
}
