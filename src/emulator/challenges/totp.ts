/** TOTP (RFC 6238, as Cognito's authenticator-app MFA: SHA-1, 6 digits, 30 s) with otpauth. */
import { Secret, TOTP } from 'otpauth'

const totpOf = (base32: string) =>
  new TOTP({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 })

/** Whether `code` is the secret's code at `at` (emulator epoch ms), one period either side. */
export function totpMatches(base32: string, code: string, at: number): boolean {
  try {
    return totpOf(base32).validate({ token: code, timestamp: at, window: 1 }) !== null
  } catch {
    return false // a secret that is not base32
  }
}

/** A new 160-bit secret, base32, as AssociateSoftwareToken hands out. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32

/** The code of `base32` at `at`: what a test's authenticator app shows. */
export const totpCode = (base32: string, at: number): string =>
  totpOf(base32).generate({ timestamp: at })
