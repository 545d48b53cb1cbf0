/**
 * The server half of Cognito's USER_SRP_AUTH: B and a SECRET_BLOCK for the client's A, then the
 * PASSWORD_CLAIM_SIGNATURE checked exactly as Cognito does (the 3072-bit group of RFC 3526, its
 * HKDF with `Caldera Derived Key`, the HMAC over pool name, user id, secret block and timestamp).
 * On node:crypto and native BigInt (the group, padding and modular power are the library's own,
 * src/sign-in/srp/group.ts; amazon-cognito-identity-js checks both from outside, test/emulator/srp):
 * no library implements Cognito's server side. The verifier is computed from the user's password
 * each time, with a salt fixed per user.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { g, modPow, N, padHex } from '../../sign-in/srp/group'
import type { UserRecord } from '../store'

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest()
/** The hash of concatenated padded hex, as a BigInt. */
const hashOfHex = (...hex: string[]) =>
  BigInt(`0x${sha256(Buffer.from(hex.join(''), 'hex')).toString('hex')}`)
const k = hashOfHex(padHex(N), padHex(g))

/** The user's salt: fixed per user (from its sub), 16 bytes, as Cognito keeps one per user. */
export const saltOf = (user: UserRecord) =>
  sha256(`salt:${user.sub}`).subarray(0, 16).toString('hex')

function verifier(user: UserRecord, pool: string): bigint {
  const inner = sha256(`${pool}${user.username}:${user.password}`).toString('hex')
  const x = hashOfHex(padHex(BigInt(`0x${saltOf(user)}`)), inner)
  return modPow(g, x, N)
}

export interface SrpState {
  A: bigint
  b: bigint
  B: bigint
  username: string
}

/** B for the client's A (hex); undefined when A is 0 mod N (Cognito refuses it). */
export function serverStep(user: UserRecord, pool: string, srpA: string): SrpState | undefined {
  if (!/^[0-9a-f]+$/i.test(srpA)) return undefined
  const A = BigInt(`0x${srpA}`)
  if (A % N === 0n) return undefined
  for (;;) {
    const b = BigInt(`0x${randomBytes(32).toString('hex')}`)
    const B = (k * verifier(user, pool) + modPow(g, b, N)) % N
    if (B !== 0n) return { A, b, B, username: user.username }
  }
}

/** Whether the client's claim proves it knew the password. */
export function claimIsValid(
  state: SrpState,
  user: UserRecord,
  pool: string,
  claim: { secretBlock: string; timestamp: string; signature: string },
): boolean {
  const u = hashOfHex(padHex(state.A), padHex(state.B))
  if (u === 0n) return false
  const S = modPow(state.A * modPow(verifier(user, pool), u, N), state.b, N)
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest()
  const key = createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.of(1)]))
    .digest()
    .subarray(0, 16)
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(pool),
        Buffer.from(user.username),
        Buffer.from(claim.secretBlock, 'base64'),
        Buffer.from(claim.timestamp),
      ]),
    )
    .digest()
  const given = Buffer.from(claim.signature, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Cognito's TIMESTAMP format: `Fri Dec 4 19:05:07 UTC 2026`. */
export const timestampPattern =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} UTC \d{4}$/
