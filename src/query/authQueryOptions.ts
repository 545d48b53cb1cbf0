import {
  type DefaultError,
  isServer,
  type QueryFunctionContext,
  type QueryKey,
  type UseQueryOptions,
} from '@tanstack/react-query'
import type { AuthClient } from '../core/client/authClient'
import { AuthError } from '../core/errors'
import { userOf } from '../core/tokens'
import { type AuthFetch, type AuthFetchOptions, createAuthFetch } from '../core/fetch/authFetch'
import { type AuthQueryKey, authQueryKey } from './authQueryKey'
import { authRetry, type RetryValue } from './authRetry'

/** What an auth query function receives: TanStack's context plus the auth fetch and the user. */
export type AuthQueryFunctionContext<TQueryKey extends QueryKey = QueryKey> = QueryFunctionContext<
  AuthQueryKey<TQueryKey>
> & {
  /**
   * `useAuthFetch()`'s fetch, bound to this query: it uses the query's `signal` unless you pass
   * one, and refuses to send another user's token (the query is cached for `userId`).
   */
  fetch: AuthFetch
  /** The user the query is cached for (the `sub`). */
  userId: string
}

/** How the fetch of auth queries and mutations is made. */
export type AuthFetchSettings = Pick<
  AuthFetchOptions,
  'fetch' | 'minValiditySeconds' | 'allowedOrigins'
>

/** `useQuery` options, with a `queryFn` that receives the auth fetch and a key without the user. */
export type AuthQueryOptions<
  TQueryFnData = unknown,
  TError = DefaultError,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> = Omit<
  UseQueryOptions<TQueryFnData, TError, TData, AuthQueryKey<TQueryKey>>,
  'queryKey' | 'queryFn' | 'retry'
> & {
  /** Your key. The user scope `{ authUser: sub }` is appended. */
  queryKey: TQueryKey
  queryFn: (context: AuthQueryFunctionContext<TQueryKey>) => TQueryFnData | Promise<TQueryFnData>
  /** Retries for errors that are not auth failures (those never retry). @default the QueryClient's default, else 3 (0 on the server) */
  retry?: RetryValue<TError>
  /** @default globalThis.fetch and the client's minValiditySeconds */
  fetchOptions?: AuthFetchSettings
}

/** The signed-in user a query is scoped to: undefined when there is no session. */
export function scopeUserOf(client: AuthClient): string | undefined {
  const tokens = client.getSnapshot().tokens
  return tokens === null ? undefined : (userOf(tokens) ?? '')
}

/** @internal Builds the TanStack options for `userId` (undefined: disabled, signed-out scope). */
export function buildAuthQuery<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  client: AuthClient,
  userId: string | undefined,
  options: AuthQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
  defaultRetry: RetryValue<TError> | undefined,
): UseQueryOptions<TQueryFnData, TError, TData, AuthQueryKey<TQueryKey>> {
  const { queryKey, queryFn, enabled, retry, fetchOptions, ...rest } = options
  return {
    ...rest,
    queryKey: authQueryKey(queryKey, userId ?? null),
    // Without a session the query waits; `refetch()` (which ignores `enabled`) gets NoSession.
    enabled: userId === undefined ? false : (enabled ?? true),
    // TanStack's own default: 3 in the browser, none on the server.
    retry: authRetry(retry ?? defaultRetry ?? (isServer ? 0 : 3)),
    queryFn: (context) => {
      if (userId === undefined) throw new AuthError('NoSession', 'Nobody is signed in.')
      const authFetch = createAuthFetch(client, {
        ...fetchOptions,
        ...(userId !== '' && { userId }),
      })
      // Copy the descriptors: TanStack's `signal` is a getter that marks the query abortable.
      const authContext = Object.defineProperties(
        {},
        Object.getOwnPropertyDescriptors(context),
      ) as AuthQueryFunctionContext<TQueryKey>
      authContext.fetch = (input, init) =>
        authFetch(input, { ...init, signal: init?.signal ?? context.signal })
      authContext.userId = userId
      return queryFn(authContext)
    },
  }
}

/**
 * Options for `useQuery`, `useSuspenseQuery`, `useQueries`, `prefetchQuery`, `ensureQueryData`,
 * scoped to the user signed in **now** (read once). In components use `useAuthQueryOptions` or
 * `useAuthQuery`, which follow the user as it changes.
 */
export function authQueryOptions<
  TQueryFnData = unknown,
  TError = DefaultError,
  TData = TQueryFnData,
  const TQueryKey extends QueryKey = QueryKey,
>(
  client: AuthClient,
  options: AuthQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseQueryOptions<TQueryFnData, TError, TData, AuthQueryKey<TQueryKey>> {
  return buildAuthQuery(client, scopeUserOf(client), options, undefined)
}
