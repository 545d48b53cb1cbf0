import { type DefaultError, useMutation, type UseMutationResult } from '@tanstack/react-query'
import { useClient } from '../react/context'
import { type AuthMutationOptions, authMutationOptions } from './authMutationOptions'

/** `useMutation(authMutationOptions(client, options))` with the provider's client. */
export function useAuthMutation<
  TData = unknown,
  TError = DefaultError,
  TVariables = void,
  TOnMutateResult = unknown,
>(
  options: AuthMutationOptions<TData, TError, TVariables, TOnMutateResult>,
): UseMutationResult<TData, TError, TVariables, TOnMutateResult> {
  const client = useClient('useAuthMutation')
  return useMutation(authMutationOptions(client, options))
}
