import type {
  DefaultError,
  MutationFunctionContext,
  UseMutationOptions,
} from '@tanstack/react-query'
import type { AuthClient } from '../core/client/authClient'
import { userOf } from '../core/tokens'
import { type AuthFetch, createAuthFetch } from '../core/fetch/authFetch'
import type { AuthFetchSettings } from './authQueryOptions'
import { authRetry, type RetryValue } from './authRetry'

/** What an auth mutation function receives: TanStack's context plus the auth fetch and the user. */
export type AuthMutationFunctionContext = MutationFunctionContext & {
  /** `useAuthFetch()`'s fetch, for the user signed in when the mutation started. */
  fetch: AuthFetch
  /** The user signed in when the mutation started (the `sub`). */
  userId: string
}

/** `useMutation` options with a `mutationFn` that receives the auth fetch. */
export type AuthMutationOptions<
  TData = unknown,
  TError = DefaultError,
  TVariables = void,
  TOnMutateResult = unknown,
> = Omit<UseMutationOptions<TData, TError, TVariables, TOnMutateResult>, 'mutationFn' | 'retry'> & {
  mutationFn: (variables: TVariables, context: AuthMutationFunctionContext) => Promise<TData>
  /** Retries for errors that are not auth failures (those never retry). @default 0 (TanStack's default for mutations) */
  retry?: RetryValue<TError>
  /** @default globalThis.fetch and the client's minValiditySeconds */
  fetchOptions?: AuthFetchSettings
}

/**
 * Options for `useMutation` (or `queryClient.getMutationCache().build`) whose `mutationFn` gets the
 * auth fetch. Without a session the mutation fails at once with `AuthError` `NoSession` or
 * `SignedOut`, and auth failures are never retried.
 */
export function authMutationOptions<
  TData = unknown,
  TError = DefaultError,
  TVariables = void,
  TOnMutateResult = unknown,
>(
  client: AuthClient,
  options: AuthMutationOptions<TData, TError, TVariables, TOnMutateResult>,
): UseMutationOptions<TData, TError, TVariables, TOnMutateResult> {
  const { mutationFn, retry, fetchOptions, ...rest } = options
  return {
    ...rest,
    retry: authRetry(retry ?? 0),
    mutationFn: async (variables, context) => {
      const tokens = client.getSnapshot().tokens
      // Without a session, the client's own error says which: NoSession or SignedOut.
      if (tokens === null) await client.getAccessToken()
      const userId = tokens === null ? '' : (userOf(tokens) ?? '')
      const fetch = createAuthFetch(client, {
        ...fetchOptions,
        ...(userId !== '' && { userId }),
      })
      return mutationFn(variables, { ...context, fetch, userId })
    },
  }
}
