/**
 * The localStorage layout amazon-cognito-identity-js and Amplify JS v6 share:
 * `CognitoIdentityServiceProvider.<clientId>.LastAuthUser` names the user, and
 * `CognitoIdentityServiceProvider.<clientId>.<username>.<key>` holds each value. They differ in
 * `clockDrift`: identity-js stores whole seconds `now - iat` (local minus server), Amplify v6 stores
 * milliseconds `iat * 1000 - now` (server minus local).
 */

/** The libraries whose stored sessions we read and write. */
export type LegacySource = 'amazon-cognito-identity-js' | 'amplify'

/** The synchronous part of the Web Storage API; `localStorage` and `sessionStorage` fit. */
export interface LegacyStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface LegacyStorageOptions {
  /** The app client id the legacy library was configured with. */
  clientId: string
  /** @default globalThis.localStorage, looked up at call time */
  storage?: LegacyStorage
}

export const legacyPrefix = (clientId: string) => `CognitoIdentityServiceProvider.${clientId}`

export const lastAuthUserKey = (clientId: string) => `${legacyPrefix(clientId)}.LastAuthUser`

export const userKey = (clientId: string, username: string, key: string) =>
  `${legacyPrefix(clientId)}.${username}.${key}`

/** The per-user keys a sign-out removes; device keys stay, as both libraries keep them. */
export const sessionKeys = [
  'idToken',
  'accessToken',
  'refreshToken',
  'clockDrift',
  'userData',
  'signInDetails',
  'oauthMetadata',
] as const

/** Resolves the storage; undefined where there is none or touching it throws (private modes). */
export function legacyStorageOf(options: LegacyStorageOptions): LegacyStorage | undefined {
  try {
    return options.storage ?? globalThis.localStorage ?? undefined
  } catch {
    return undefined
  }
}

/** Reads a key; a throwing storage, and the strings "undefined"/"null" some versions wrote, are absent. */
export function readKey(storage: LegacyStorage, key: string): string | undefined {
  try {
    const value = storage.getItem(key)
    return value === null || value === '' || value === 'undefined' || value === 'null'
      ? undefined
      : value
  } catch {
    return undefined
  }
}

/** Milliseconds the server's clock is ahead of ours, from a stored `clockDrift`. */
export function serverAheadMs(source: LegacySource, clockDrift: string | undefined): number {
  const value = Number.parseInt(clockDrift ?? '', 10)
  if (!Number.isFinite(value)) return 0
  const ms = source === 'amplify' ? value : -value * 1000
  // More than a day apart is not a clock: a corrupt value. Ignore it rather than trust it.
  return Math.abs(ms) > 86_400_000 ? 0 : ms
}

/**
 * The `clockDrift` value each library expects for a server `aheadMs` ahead of this device, rounded
 * so that the expiry the library derives from it is never later than the one `aheadMs` implies.
 */
export function clockDriftFor(source: LegacySource, aheadMs: number) {
  return source === 'amplify' ? String(Math.ceil(aheadMs)) : String(Math.floor(-aheadMs / 1000))
}
