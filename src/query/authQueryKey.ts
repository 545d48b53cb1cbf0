import type { QueryKey } from '@tanstack/react-query'

/**
 * The last element of a user-scoped query key: whose data the query holds (`null` while nobody is
 * signed in). Keys end with it, so `invalidateQueries({ queryKey: ['todos'] })` still matches
 * `['todos', { authUser: 'sub' }]` by prefix.
 */
export interface AuthScope {
  readonly authUser: string | null
}

/** A query key with the user scope appended. */
export type AuthQueryKey<TQueryKey extends QueryKey = QueryKey> = readonly [...TQueryKey, AuthScope]

/** `queryKey` scoped to `userId` (the `sub`): `[...queryKey, { authUser: userId }]`. */
export function authQueryKey<const TQueryKey extends QueryKey>(
  queryKey: TQueryKey,
  userId: string | null,
): AuthQueryKey<TQueryKey> {
  return [...queryKey, { authUser: userId }] as const
}

/**
 * The user a key is scoped to (`null` for the signed-out scope), or `undefined` when the key is not
 * user-scoped (it does not end with exactly `{ authUser }`).
 */
export function authUserOfKey(queryKey: QueryKey): string | null | undefined {
  const last = queryKey[queryKey.length - 1]
  if (typeof last !== 'object' || last === null || Array.isArray(last)) return undefined
  const keys = Object.keys(last)
  if (keys.length !== 1 || keys[0] !== 'authUser') return undefined
  const user = (last as { authUser: unknown }).authUser
  return typeof user === 'string' || user === null ? user : undefined
}
