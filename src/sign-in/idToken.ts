/**
 * The checks OpenID Connect asks of a client that got its ID token straight from the token
 * endpoint over TLS (Core 1.0, 3.1.3.7): `iss`, `aud`, `exp` and the `nonce` of this sign-in. The
 * signature is the API's business: a browser cannot keep a key set fresh cheaply, and the token
 * came from the domain we asked, over TLS.
 */
import { jwtDecode } from 'jwt-decode'
import { AuthError } from '../core/errors'

export interface IdTokenExpectations {
  clientId: string
  nonce: string
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`; any Cognito-shaped issuer when absent. */
  issuer: string | undefined
  now: number
  /** Allowed clock skew in ms. */
  leewayMs: number
}

const refuse = (why: string) =>
  new AuthError('InvalidResponse', `The ID token of the sign-in was refused: ${why}`, {
    kind: 'fatal',
  })

export function checkIdToken(idToken: unknown, expect: IdTokenExpectations): void {
  if (typeof idToken !== 'string') throw refuse('the token endpoint returned none.')
  let claims: Record<string, unknown>
  try {
    claims = jwtDecode<Record<string, unknown>>(idToken)
  } catch {
    throw refuse('it is not a JWT.')
  }
  if (claims.nonce !== expect.nonce) throw refuse('its nonce is not this sign-in’s.')
  const aud = claims.aud
  if (!(aud === expect.clientId || (Array.isArray(aud) && aud.includes(expect.clientId)))) {
    throw refuse('it was issued to another app client.')
  }
  const iss = claims.iss
  const issuerOk =
    expect.issuer === undefined
      ? typeof iss === 'string' && /^https?:\/\/[^/]+\/[\w-]+$/.test(iss)
      : iss === expect.issuer
  if (!issuerOk) throw refuse('its issuer is not the user pool’s.')
  if (typeof claims.exp !== 'number' || claims.exp * 1000 + expect.leewayMs <= expect.now) {
    throw refuse('it has expired (check the device clock).')
  }
}
