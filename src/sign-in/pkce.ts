/**
 * PKCE (RFC 7636, S256) and random values from Web Crypto (no library, a few hundred bytes), and
 * the authorize URL of a new sign-in, for the browser's managed login and the server's.
 */

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** `bytes` random bytes, base64url: 32 give a 43-character verifier (RFC 7636 asks 43 to 128). */
export function randomValue(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return base64url(new Uint8Array(digest))
}

/**
 * A new sign-in: its `/oauth2/authorize` URL on `base` (the user-pool domain), with a fresh
 * verifier (S256), `state` (after `statePrefix`: a popup's `p.`) and `nonce`. `extra` holds the
 * optional parameters (`login_hint`, `prompt`…); undefined ones are left out. Positional, as the
 * browser's bundle pays for every property name.
 */
export async function startAuthorization(
  base: string,
  clientId: string,
  redirectUri: string,
  scopes: readonly string[],
  statePrefix = '',
  extra: Record<string, string | undefined> = {},
) {
  const verifier = randomValue()
  const state = `${statePrefix}${randomValue(16)}`
  const nonce = randomValue(16)
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
    state,
    nonce,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  })
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) query.set(name, value)
  return { url: `${base}/oauth2/authorize?${query.toString()}`, verifier, state, nonce }
}
