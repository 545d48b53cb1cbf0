/**
 * Signing keys and token strings. ID and access tokens are RS256 JWTs signed with two different
 * keys (so their `kid`s differ, as in Cognito); refresh tokens are opaque random strings shaped
 * like Cognito's JWE (five base64url parts) that no client can read.
 */
import { randomBytes } from 'node:crypto'
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose'

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
}

export interface SigningKeys {
  id: SigningKey
  access: SigningKey
}

async function createKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 })
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  return {
    kid,
    privateKey,
    publicJwk: { alg: 'RS256', e: jwk.e ?? '', kid, kty: 'RSA', n: jwk.n ?? '', use: 'sig' },
  }
}

async function createFreshKeys(): Promise<SigningKeys> {
  const [id, access] = await Promise.all([createKey(), createKey()])
  return { id, access }
}

let shared: Promise<SigningKeys> | undefined

/**
 * RSA key generation costs a noticeable share of a CPU; test suites start many emulators, so by
 * default one process shares one pair. Tokens still never cross emulators: their issuers differ.
 */
export function createSigningKeys(fresh: boolean): Promise<SigningKeys> {
  if (fresh) return createFreshKeys()
  shared ??= createFreshKeys().catch((error: unknown) => {
    shared = undefined
    throw error
  })
  return shared
}

/** The pool's JWKS, as served at `/<poolId>/.well-known/jwks.json`. */
export function jwksOf(keys: SigningKeys): { keys: JWK[] } {
  return { keys: [keys.id.publicJwk, keys.access.publicJwk] }
}

export function signJwt(key: SigningKey, claims: JWTPayload): Promise<string> {
  // Cognito's header is exactly {"kid","alg"}; no "typ".
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey)
}

/** The header of Cognito refresh tokens: {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}. */
const jweHeader = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ'

const part = (bytes: number) => randomBytes(bytes).toString('base64url')

/** An opaque refresh token: matches `[A-Za-z0-9-_=.]+`, five parts, not decodable. */
export function opaqueRefreshToken(): string {
  return [jweHeader, part(256), part(12), part(384), part(16)].join('.')
}

/** Real tokens carry Cognito's JWE header; ours add nothing else a client could read. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3
}
