import { useMemo } from 'react'
import { type AuthFetch, type AuthFetchOptions, createAuthFetch } from '../core/fetch/authFetch'
import { useClient } from './context'

/**
 * A fetch that sends the session's access token, waits for a valid one, and retries a 401 once
 * (see {@link createAuthFetch}). The function is stable: it changes only when the provider's client
 * or one of the options changes, so it is safe in effect dependencies. Pass a `fetch` defined
 * outside the component (an inline arrow would make a new function each render).
 *
 * @throws Error when there is no AuthProvider above.
 */
export function useAuthFetch(options: AuthFetchOptions = {}): AuthFetch {
  const client = useClient('useAuthFetch')
  const { fetch, minValiditySeconds, userId, allowedOrigins } = options
  // An inline array is a new one each render: depend on its contents, not its identity.
  const origins = allowedOrigins?.join(' ')
  return useMemo(
    () =>
      createAuthFetch(client, {
        ...(fetch !== undefined && { fetch }),
        ...(minValiditySeconds !== undefined && { minValiditySeconds }),
        ...(userId !== undefined && { userId }),
        ...(origins !== undefined && { allowedOrigins: origins.split(' ').filter(Boolean) }),
      }),
    [client, fetch, minValiditySeconds, userId, origins],
  )
}
