import type { TokenSet } from '../core/tokens'
import type { AuthSnapshot } from '../core/state'
import { useClient } from './context'
import { type EqualityFn, useClientSelector } from './useAuthState'

const selectTokens = (snapshot: AuthSnapshot) => snapshot.tokens

/**
 * The current `TokenSet` (or `null`), or a slice of it. Re-renders only when the selection changes:
 * `useTokens((t) => t?.accessClaims.sub)` does not re-render when tokens refresh;
 * `useTokens((t) => t?.accessToken)` renders once per refresh.
 *
 * For a request, prefer `useAuthFetch()` or `useAuthClient().getAccessToken()`: a token read during
 * render can be close to expiry by the time it is sent.
 *
 * @param selector Picks from the token set (`null` while loading or signed out). @default the token set
 * @param isEqual Compares the previous and the next selection; pass `shallowEqual` when the selector
 *   builds an object or array. @default Object.is
 * @throws Error when there is no AuthProvider above.
 */
export function useTokens(): TokenSet | null
export function useTokens<T>(selector: (tokens: TokenSet | null) => T, isEqual?: EqualityFn<T>): T
export function useTokens<T>(
  selector?: (tokens: TokenSet | null) => T,
  isEqual?: EqualityFn<T>,
): T | TokenSet | null {
  const client = useClient('useTokens')
  return useClientSelector<T | TokenSet | null>(
    client,
    selector === undefined ? selectTokens : (snapshot) => selector(snapshot.tokens),
    isEqual as EqualityFn<T | TokenSet | null> | undefined,
  )
}
