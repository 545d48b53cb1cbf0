import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react'
import type { AuthClient } from '../core/client/authClient'
import { type AuthSnapshot, loadingSnapshot } from '../core/state'
import { useClient } from './context'

/** Decides whether a new selection is the same as the previous one. */
export type EqualityFn<T> = (a: T, b: T) => boolean

const identity = <T>(value: T): T => value

/**
 * A selector memoised per snapshot (`useSyncExternalStore` needs the same value for the same
 * snapshot), which also hands back the previous value when `isEqual` says nothing changed.
 */
function memoizeSelector<T>(
  selector: (snapshot: AuthSnapshot) => T,
  isEqual: EqualityFn<T>,
  lastRendered: () => { value: T } | null,
) {
  let memo: { snapshot: AuthSnapshot; value: T } | undefined
  return (snapshot: AuthSnapshot): T => {
    if (memo !== undefined && memo.snapshot === snapshot) return memo.value
    const next = selector(snapshot)
    const previous = memo ?? lastRendered()
    const value = previous !== null && isEqual(previous.value, next) ? previous.value : next
    memo = { snapshot, value }
    return value
  }
}

/**
 * Reads `client` through `useSyncExternalStore` and a selector. A new selection that `isEqual`
 * calls equal to the last one is replaced by the last one, so React sees the same value and does
 * not re-render (the with-selector pattern).
 * @internal
 */
export function useClientSelector<T>(
  client: AuthClient,
  selector: (snapshot: AuthSnapshot) => T,
  isEqual: EqualityFn<T> = Object.is,
): T {
  // The last selection React committed: a new selector (an inline arrow) still compares against it.
  const rendered = useRef<{ value: T } | null>(null)
  const select = useMemo(
    // Read in getSnapshot as use-sync-external-store/with-selector does: only as an equality cache,
    // so a stale value costs one extra render, never a wrong one.
    // eslint-disable-next-line react-hooks/refs
    () => memoizeSelector(selector, isEqual, () => rendered.current),
    [selector, isEqual],
  )
  const value = useSyncExternalStore(
    client.subscribe,
    () => select(client.getSnapshot()),
    // On the server and during hydration: the shared loading snapshot, never storage.
    () => select(loadingSnapshot),
  )
  useEffect(() => {
    rendered.current = { value }
  })
  return value
}

/**
 * A slice of the auth snapshot (`status`, `refresh`, `tokens`, `error`, `signOutReason`). The
 * component re-renders only when the selection changes by `isEqual`.
 *
 * A selector that builds a new object or array needs an `isEqual` (e.g. `shallowEqual`), otherwise
 * every new snapshot (a refresh starting, ending) re-renders.
 *
 * @param selector Picks what the component needs. @default the whole snapshot
 * @param isEqual Compares the previous and the next selection. @default Object.is
 * @throws Error when there is no AuthProvider above.
 */
export function useAuthState(): AuthSnapshot
export function useAuthState<T>(selector: (snapshot: AuthSnapshot) => T, isEqual?: EqualityFn<T>): T
export function useAuthState<T>(
  selector: (snapshot: AuthSnapshot) => T = identity as (snapshot: AuthSnapshot) => T,
  isEqual?: EqualityFn<T>,
): T {
  return useClientSelector(useClient('useAuthState'), selector, isEqual)
}
