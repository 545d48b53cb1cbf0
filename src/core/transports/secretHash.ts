/**
 * Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id)),
 * UTF-8 strings, standard base64 with padding. Web Crypto only, so the browser bundle carries no
 * hashing code; `crypto.subtle` exists in secure contexts (https, localhost) and in Node 20+.
 */
import { AuthError } from '../errors'

const encoder = new TextEncoder()

/**
 * Computes the SECRET_HASH for `username` (the user's real Cognito username, the
 * `cognito:username` claim, never the email or alias typed at sign-in).
 */
export async function secretHash(
  clientSecret: string,
  username: string,
  clientId: string,
): Promise<string> {
  const subtle = globalThis.crypto?.subtle
  if (subtle === undefined) {
    throw new AuthError(
      'ConfigurationError',
      'SECRET_HASH needs Web Crypto (crypto.subtle), which browsers offer only on https or localhost.',
      { kind: 'fatal' },
    )
  }
  const key = await subtle.importKey(
    'raw',
    encoder.encode(clientSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(username + clientId)))
  let binary = ''
  for (const byte of mac) binary += String.fromCharCode(byte)
  return btoa(binary)
}
