import { useMemo } from 'react'
import type { AuthError, AuthErrorCode } from '../core/errors'
import type { SignOutReason } from '../core/events'
import type { RefreshOptions } from '../core/client/options'
import type { AuthSnapshot, RefreshActivity, SessionStatus } from '../core/state'
import type {
  AccessTokenClaims,
  AuthenticationResult,
  IdTokenClaims,
  TokenSet,
} from '../core/tokens'
import { userOf } from '../core/tokens'
import { useClient } from './context'
import { shallowEqual } from './shallowEqual'
import { useClientSelector } from './useAuthState'

/** What `useAuth()` returns: the session's state and the actions on it. */
export interface UseAuthResult {
  /** `loading` until the provider has mounted the client (and always on the server). */
  status: SessionStatus
  /** What the refresh machinery is doing: `idle`, `refreshing`, `retrying` (with backoff). */
  refreshStatus: RefreshActivity
  /** `status === 'authenticated'`. */
  isAuthenticated: boolean
  /** The last failure (e.g. a refresh that is being retried); `null` after a success. */
  error: AuthError | null
  /** The error's code, for a `switch` without a null check. */
  errorCode: AuthErrorCode | undefined
  /**
   * Why there is no session, while signed out: `noSession` when the tab started without one, else
   * why it ended (`signOut`, `rejected`, `reuse`, `expired`).
   */
  signOutReason: SignOutReason | null
  /** When the session ends for good (`refreshTokenValiditySeconds`), epoch ms; null when unknown. */
  sessionExpiresAt: number | null
  /** The signed-in user's id: the `sub` claim (else the Cognito username). */
  userId: string | undefined
  /** The ID token's claims (the access token's when the sign-in returned no ID token). */
  claims: IdTokenClaims | AccessTokenClaims | null
  /** Stores the tokens of a sign-in (InitiateAuth, the hosted UI…) and tells the other tabs. */
  setSession: (result: AuthenticationResult) => TokenSet
  /** Refreshes if due (always with `force`); joins a refresh already under way. */
  refresh: (options?: RefreshOptions) => Promise<TokenSet>
  /** Ends the session here and in every tab, and revokes the refresh token where possible. */
  signOut: () => Promise<void>
}

type AuthState = Omit<UseAuthResult, 'setSession' | 'refresh' | 'signOut'>

function selectState(snapshot: AuthSnapshot): AuthState {
  const { tokens } = snapshot
  return {
    status: snapshot.status,
    refreshStatus: snapshot.refresh,
    isAuthenticated: snapshot.status === 'authenticated',
    error: snapshot.error,
    errorCode: snapshot.error?.code,
    signOutReason: snapshot.signOutReason,
    sessionExpiresAt: snapshot.sessionExpiresAt,
    userId: tokens === null ? undefined : userOf(tokens),
    // Claims are decoded once per token set, so they change (by reference) once per refresh.
    claims: tokens === null ? null : (tokens.idClaims ?? tokens.accessClaims),
  }
}

/**
 * The session's state and its actions. Re-renders when the status, the refresh activity, the error
 * or the token set changes: about twice per refresh (`refreshing`, then `idle` with new claims).
 * A component that needs less should select it with `useAuthState(selector)` or
 * `useTokens(selector)`.
 *
 * @throws Error when there is no AuthProvider above.
 */
export function useAuth(): UseAuthResult {
  const client = useClient('useAuth')
  const state = useClientSelector(client, selectState, shallowEqual)
  // The actions keep their identity for the provider's life: safe in effect dependencies.
  const actions = useMemo(
    () => ({
      setSession: (result: AuthenticationResult) => client.setSession(result),
      refresh: (options?: RefreshOptions) => client.refresh(options),
      signOut: () => client.signOut(),
    }),
    [client],
  )
  return useMemo(() => ({ ...state, ...actions }), [state, actions])
}
