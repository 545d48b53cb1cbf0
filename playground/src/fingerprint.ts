/**
 * A short, one-way label for a token (FNV-1a, 32 bits), so the page can show that the token
 * changed without showing the token. Not a security measure: it only replaces the token on screen.
 */
export function fingerprint(token: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}
