/**
 * The version marker of tab-private storage: `{ sessionId, version, signedInAt }` (never a token)
 * in storage the other tabs see, so that a tab can tell a newer state of a session exists in some
 * other tab's memory, and ask for it.
 */
import { isVersion } from '../storedSession'
import type { StorageAdapter } from '../platform/storage'
import { isNonEmptyString, type TokenSet } from '../tokens'

type Marked = Pick<TokenSet, 'sessionId' | 'version' | 'signedInAt'>

export function versionMarker(adapter: StorageAdapter | undefined, key: string) {
  const markerKey = `${key}.version`
  /** The marker, or undefined when there is none we can trust. */
  const read = (): Marked | undefined => {
    try {
      const m = JSON.parse(adapter?.getItem(markerKey) ?? 'null') as Partial<Marked> | null
      if (!isNonEmptyString(m?.sessionId) || !isVersion(m.version)) return undefined
      return { sessionId: m.sessionId, version: m.version, signedInAt: Number(m.signedInAt) || 0 }
    } catch {
      return undefined
    }
  }
  return {
    read,
    /** Records `tokens` unless the marker already shows a newer state of their session. */
    record(tokens: TokenSet, replace: boolean) {
      const marker = read()
      if (!replace && marker?.sessionId === tokens.sessionId && marker.version >= tokens.version) {
        return
      }
      const { sessionId, version, signedInAt } = tokens
      adapter?.setItem(markerKey, JSON.stringify({ sessionId, version, signedInAt }))
    },
    /** Removes the marker if it names `sessionId` (any marker without one). */
    clear(sessionId: string | undefined) {
      const marker = read()
      if (marker !== undefined && (sessionId === undefined || marker.sessionId === sessionId)) {
        adapter?.removeItem(markerKey)
      }
    },
  }
}
