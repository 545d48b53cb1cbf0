// react-cognito-refresh/query: TanStack Query v5 integration. Needs the root entry's AuthProvider.
export { authQueryKey, authUserOfKey } from './authQueryKey'
export type { AuthQueryKey, AuthScope } from './authQueryKey'
export { authRetry, isAuthFailure } from './authRetry'
export type { RetryValue, ShouldRetryFunction } from './authRetry'
export { authQueryOptions } from './authQueryOptions'
export type {
  AuthQueryOptions,
  AuthQueryFunctionContext,
  AuthFetchSettings,
} from './authQueryOptions'
export { useAuthQuery, useAuthQueryOptions } from './useAuthQuery'
export { authMutationOptions } from './authMutationOptions'
export { useAuthMutation } from './useAuthMutation'
export type { AuthMutationOptions, AuthMutationFunctionContext } from './authMutationOptions'
export { syncQueryClientWithAuth } from './syncQueryClient'
export type { AuthQuerySyncOptions } from './syncQueryClient'
export { useAuthQuerySync } from './useAuthQuerySync'
export { AuthQueryBridge } from './AuthQueryBridge'
export type { AuthQueryBridgeProps } from './AuthQueryBridge'
