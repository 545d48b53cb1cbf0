import type { QueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type { AuthQuerySyncOptions } from './syncQueryClient'
import { useAuthQuerySync } from './useAuthQuerySync'

export interface AuthQueryBridgeProps extends AuthQuerySyncOptions {
  /** @default the QueryClientProvider's client */
  queryClient?: QueryClient
}

/**
 * `useAuthQuerySync()` as a component: put `<AuthQueryBridge />` once inside both AuthProvider and
 * QueryClientProvider. Renders nothing.
 */
export function AuthQueryBridge({ queryClient, ...options }: AuthQueryBridgeProps): ReactNode {
  useAuthQuerySync(options, queryClient)
  return null
}
