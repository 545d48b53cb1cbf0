import { createContext, useContext } from 'react'
import type { AuthClient } from '../core/client/authClient'

/** The client of the nearest AuthProvider. It never changes while a provider lives: state goes
 * through the store, so a refresh re-renders only the components whose selection changed. */
export const AuthClientContext = createContext<AuthClient | null>(null)
AuthClientContext.displayName = 'AuthClientContext'

/** The error every hook throws outside an AuthProvider: a plain Error (a programming mistake, not an
 * auth failure), with a message that names the hook and the fix. */
export function missingProviderError(hook: string): Error {
  return new Error(`[react-cognito-refresh] ${hook}() must be used inside <AuthProvider>.`)
}

/** The provider's client, or the documented error naming `hook`. */
export function useClient(hook: string): AuthClient {
  const client = useContext(AuthClientContext)
  if (client === null) throw missingProviderError(hook)
  return client
}
