import type { AuthClient } from '../core/client/authClient'
import { useClient } from './context'

/**
 * The `AuthClient` of the nearest {@link AuthProvider}, for what the hooks do not cover
 * (`client.on(...)`, `getAccessToken({ minValiditySeconds })`). Stable for the provider's life.
 *
 * @throws Error when there is no AuthProvider above.
 */
export function useAuthClient(): AuthClient {
  return useClient('useAuthClient')
}
