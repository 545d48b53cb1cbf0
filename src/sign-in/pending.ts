/**
 * A started sign-in, kept until its callback: one entry per `state`, in tab-private storage, read
 * once (taken before the code is exchanged) and refused after `ttlMs`. It holds the PKCE verifier
 * and the nonce, never a token.
 */
import { AuthError } from '../core/errors'
import type { StorageAdapter } from '../core/platform/storage'

export interface PendingSignIn {
  verifier: string
  nonce: string
  redirectUri: string
  returnTo: string
  expiresAt: number
}

const stateError = (why: string) =>
  new AuthError('StateMismatch', `The sign-in callback was refused: ${why}`, { kind: 'fatal' })

export function pendingStore(storage: StorageAdapter, prefix: string) {
  const key = (state: string) => `${prefix}.${state}`
  return {
    put(state: string, pending: PendingSignIn): void {
      storage.setItem(key(state), JSON.stringify(pending))
    },
    /** Forgets a started sign-in that will not come back (its popup closed). */
    drop(state: string): void {
      try {
        storage.removeItem(key(state))
      } catch {
        // unwritable storage: it expires
      }
    },
    /** The sign-in `state` names, removed from storage: a second call with it is refused. */
    take(state: string, now: number): PendingSignIn {
      let raw: string | null = null
      try {
        raw = storage.getItem(key(state))
        storage.removeItem(key(state))
      } catch {
        // unreadable storage: refused below
      }
      if (raw === null) throw stateError('its state matches no sign-in started in this tab.')
      let value: Partial<PendingSignIn> | undefined
      try {
        value = JSON.parse(raw) as Partial<PendingSignIn>
      } catch {
        // refused below
      }
      const { verifier, nonce, redirectUri, returnTo, expiresAt } = value ?? {}
      const texts = [verifier, nonce, redirectUri, returnTo]
      if (!texts.every((t) => typeof t === 'string') || typeof expiresAt !== 'number') {
        throw stateError('the stored sign-in is unreadable.')
      }
      if (now > expiresAt) throw stateError('the sign-in expired; start it again.')
      return value as PendingSignIn
    },
  }
}
