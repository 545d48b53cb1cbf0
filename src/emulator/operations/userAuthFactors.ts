/**
 * `GetUserAuthFactors` with a signed-in user's access token: the first factors this user can sign
 * in with (the pool's `firstAuthFactors` that fit the user) and the MFA the user has set up. The
 * token is verified as Cognito would: the pool's key, its issuer, `token_use: access`, not expired
 * on the emulator's clock, and its sign-in not revoked.
 */
import { importJWK, jwtVerify } from 'jose'
import { mfaTypesOf } from '../challenges/signIn'
import { type Context, issuerOf, now } from '../context'
import { notAuthorized } from '../errors'
import type { UserRecord } from '../store'
import { type MemberRule, str, validate } from '../validate'
import { firstFactorsOf } from './userAuth'

const rules: readonly MemberRule[] = [
  { member: 'AccessToken', type: 'string', required: true, sensitive: true },
]

/** The user an access token of this pool names, or NotAuthorizedException. */
export async function userOfAccessToken(ctx: Context, token: string): Promise<UserRecord> {
  let claims: Record<string, unknown>
  try {
    const key = await importJWK(ctx.keys.access.publicJwk, 'RS256')
    claims = (
      await jwtVerify(token, key, { issuer: issuerOf(ctx), currentDate: new Date(now(ctx)) })
    ).payload
  } catch {
    throw notAuthorized('Invalid Access Token')
  }
  if (claims.token_use !== 'access') throw notAuthorized('Invalid Access Token')
  const family = ctx.store.families.get(String(claims.origin_jti ?? ''))
  const revoked = [...(family ?? [])].some((t) => ctx.store.tokens.get(t)?.revoked === true)
  if (revoked) throw notAuthorized('Access Token has been revoked')
  const user = ctx.store.users.get(String(claims.username ?? ''))
  if (user === undefined) throw notAuthorized('Invalid Access Token')
  return user
}

export async function getUserAuthFactors(ctx: Context, input: Record<string, unknown>) {
  const v = validate(input, rules)
  const user = await userOfAccessToken(ctx, str(v.AccessToken) ?? '')
  const mfa = mfaTypesOf(user)
  const first = firstFactorsOf(ctx, user).filter((f) => f !== 'PASSWORD_SRP')
  return {
    Username: user.username,
    ...(user.mfa.preferred !== undefined && { PreferredMfaSetting: user.mfa.preferred }),
    UserMFASettingList: mfa,
    ConfiguredUserAuthFactors: first,
  }
}
