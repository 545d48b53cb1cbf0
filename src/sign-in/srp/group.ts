/**
 * Cognito's SRP (SRP-6a as amazon-cognito-identity-js and Cognito speak it) on native BigInt and
 * Web Crypto, no big-number library: the group, padding, hashing, the HKDF Cognito derives its key
 * with, and a modular power. Written here because no maintained library speaks Cognito's variant
 * (its `Caldera Derived Key` HKDF and claim signature), and a browser bundle should not carry a
 * big-number library for one exponentiation.
 */

/** The 3072-bit MODP group of RFC 3526 (section 4), generator 2: Cognito's. */
export const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74' +
    '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437' +
    '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05' +
    '98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB' +
    '9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718' +
    '3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33' +
    'A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864' +
    'D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2' +
    '08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
)
export const g = 2n

/** A non-negative BigInt as Cognito pads it: even-length hex, with a leading 00 if the top bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex
}

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return hex
}

const utf8 = (text: string) => new TextEncoder().encode(text)

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  if (s === undefined) throw new Error('SRP needs Web Crypto (crypto.subtle): https or localhost.')
  return s
}

/** SHA-256 of bytes, as hex (64 characters). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return bytesToHex(new Uint8Array(await subtle().digest('SHA-256', bytes)))
}

export async function hmac(
  key: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const k = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await subtle().sign('HMAC', k, data))
}

/** The hash of padded hex values, as a BigInt (Cognito's `u` and `k`). */
export const hashOfHex = async (...hex: string[]) =>
  BigInt(`0x${await sha256Hex(hexToBytes(hex.join('')))}`)

/** base^exponent mod m, square and multiply. */
export function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n
  let b = ((base % m) + m) % m
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m
    b = (b * b) % m
  }
  return result
}

/** Cognito's key: HKDF-SHA256 of S, salted with u, info `Caldera Derived Key`, 16 bytes. */
export async function derivedKey(S: bigint, u: bigint): Promise<Uint8Array<ArrayBuffer>> {
  const prk = await hmac(hexToBytes(padHex(u)), hexToBytes(padHex(S)))
  const okm = await hmac(prk, concat(utf8('Caldera Derived Key'), Uint8Array.of(1)))
  return okm.slice(0, 16)
}

/** x: the hash of the salt and H(poolName + userId + ':' + password). */
export async function passwordHash(salt: string, pool: string, userId: string, password: string) {
  const inner = await sha256Hex(utf8(`${pool}${userId}:${password}`))
  return hashOfHex(padHex(BigInt(`0x${salt}`)), inner)
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number) => String(n).padStart(2, '0')

/** Cognito's TIMESTAMP: `Fri Dec 4 19:05:07 UTC 2026` (the day not padded). */
export function srpTimestamp(ms: number): string {
  const d = new Date(ms)
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${time} UTC ${d.getUTCFullYear()}`
}

/** The claim: HMAC(key, poolName + userId + secret block + timestamp), base64. */
export async function claimSignature(
  key: Uint8Array<ArrayBuffer>,
  pool: string,
  userId: string,
  secretBlock: string,
  timestamp: string,
): Promise<string> {
  const block = Uint8Array.from(atob(secretBlock), (c) => c.charCodeAt(0))
  const mac = await hmac(key, concat(utf8(pool), utf8(userId), block, utf8(timestamp)))
  let binary = ''
  for (const b of mac) binary += String.fromCharCode(b)
  return btoa(binary)
}
