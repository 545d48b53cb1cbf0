/**
 * The client half of Cognito's USER_SRP_AUTH: SRP_A for InitiateAuth, then the PASSWORD_VERIFIER
 * answer (the claim signature) from the challenge's SALT, SRP_B and SECRET_BLOCK. The password
 * never leaves the browser, and is not kept.
 */
import { AuthError } from '../../core/errors'
import {
  bytesToHex,
  claimSignature,
  derivedKey,
  g,
  hashOfHex,
  modPow,
  N,
  padHex,
  passwordHash,
  srpTimestamp,
} from './group'

/** What `createSignIn`'s `srp` option takes: one SRP exchange per sign-in. */
export interface SrpAuth {
  begin(): Promise<SrpExchange>
}

export interface SrpExchange {
  /** SRP_A, for InitiateAuth's AuthParameters. */
  srpA: string
  /** The PASSWORD_VERIFIER ChallengeResponses (USERNAME is the challenge's USER_ID_FOR_SRP). */
  answer(
    parameters: Record<string, string>,
    input: { password: string; userPoolId: string; now: number },
  ): Promise<Record<string, string>>
}

let k: Promise<bigint> | undefined
const multiplier = () => (k ??= hashOfHex(padHex(N), padHex(g)))

const invalid = (what: string) =>
  new AuthError('InvalidResponse', `The PASSWORD_VERIFIER challenge has ${what}.`, {
    kind: 'fatal',
  })

async function begin(): Promise<SrpExchange> {
  let a = 0n
  let A = 0n
  // A random a of 128 bytes; A = g^a mod N must not be 0 (it never is, but SRP says to check).
  while (A === 0n) {
    a = BigInt(`0x${bytesToHex(crypto.getRandomValues(new Uint8Array(128)))}`)
    A = modPow(g, a, N)
  }
  return {
    srpA: A.toString(16),
    async answer(p, { password, userPoolId, now }) {
      const userId = p.USER_ID_FOR_SRP ?? p.USERNAME
      const { SALT: salt, SRP_B: srpB, SECRET_BLOCK: secretBlock } = p
      if (!userId || !salt || !srpB || !secretBlock || !/^[0-9a-f]+$/i.test(`${salt}${srpB}`)) {
        throw invalid('missing or malformed parameters')
      }
      const B = BigInt(`0x${srpB}`)
      if (B % N === 0n) throw invalid('an SRP_B of 0 mod N')
      const u = await hashOfHex(padHex(A), padHex(B))
      if (u === 0n) throw invalid('a hash of A and B of 0')
      const pool = userPoolId.split('_')[1] ?? ''
      const x = await passwordHash(salt, pool, userId, password)
      const base = (B - (await multiplier()) * modPow(g, x, N)) % N
      const S = modPow(base, a + u * x, N)
      const key = await derivedKey(S, u)
      const timestamp = srpTimestamp(now)
      return {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: await claimSignature(key, pool, userId, secretBlock, timestamp),
      }
    },
  }
}

/** Cognito's SRP for `createSignIn({ …, userPoolId, srp })`. */
export const srp: SrpAuth = { begin }
