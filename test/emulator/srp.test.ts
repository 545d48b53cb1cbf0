/**
 * The emulator's USER_SRP_AUTH, proved from outside: the real amazon-cognito-identity-js signs in
 * with `authenticateUser` (its own SRP maths), is refused with a wrong password, and answers a TOTP
 * challenge after the password verifier. A replayed or forged claim is refused.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js'
import { describe, expect, it } from 'vitest'
import type { Emulator, UserConfig } from '../../src/emulator'
import { call, start, stopEmulatorsAfterEach } from './helpers'

stopEmulatorsAfterEach()

const clientId = 'srptestclient0000000000001'
const user = {
  username: 'frank',
  password: 'Passw0rd!frank',
  attributes: { email: 'frank@example.com' },
}
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

async function setup(patch: Partial<UserConfig> = {}) {
  const emu = await start({ users: [{ ...user, ...patch }], clients: [{ clientId }] })
  const pool = new CognitoUserPool({
    UserPoolId: emu.userPoolId,
    ClientId: clientId,
    endpoint: emu.url,
  })
  return { emu, pool }
}

/** identity-js's authenticateUser as a promise: the session, a refusal, or the TOTP step. */
function authenticate(pool: CognitoUserPool, password: string, totp?: () => string) {
  const cognitoUser = new CognitoUser({ Username: user.username, Pool: pool })
  return new Promise<CognitoUserSession>((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      totpRequired: () => {
        if (totp === undefined) reject(new Error('unexpected TOTP challenge'))
        else cognitoUser.sendMFACode(totp(), callbacks, 'SOFTWARE_TOKEN_MFA')
      },
    }
    cognitoUser.authenticateUser(
      new AuthenticationDetails({ Username: user.username, Password: password }),
      callbacks,
    )
  })
}

describe('emulator: USER_SRP_AUTH', () => {
  it('amazon-cognito-identity-js signs in by SRP', async () => {
    const { emu, pool } = await setup()
    const session = await authenticate(pool, user.password)
    expect(session.getAccessToken().decodePayload().username).toBe(user.username)
    expect(emu.stats().calls.InitiateAuth).toEqual({ ok: 1 })
    expect(emu.stats().calls.RespondToAuthChallenge).toEqual({ ok: 1 })
  })

  it('a wrong password is refused at the claim', async () => {
    const { pool } = await setup()
    await expect(authenticate(pool, 'Wr0ng!password')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    })
  })

  it("the password verifier is followed by the user's MFA", async () => {
    const { emu, pool } = await setup({ mfa: { totpSecret: secret } })
    const session = await authenticate(pool, user.password, () => emu.totpCode(secret))
    expect(session.isValid()).toBe(true)
  })

  it('a claim is good once, for its own secret block', async () => {
    const { emu } = await setup()
    const first = await call(emu, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: user.username, SRP_A: 'ab'.repeat(200) },
    })
    const params = first.json.ChallengeParameters as Record<string, string>
    expect(first.json).toMatchObject({ ChallengeName: 'PASSWORD_VERIFIER' })
    expect(first.json.Session).toBeUndefined()
    expect(params).toMatchObject({
      SALT: expect.stringMatching(/^[0-9a-f]{32}$/),
      USER_ID_FOR_SRP: user.username,
    })
    const forged = (emu: Emulator) =>
      call(emu, 'RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: user.username,
          PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
          TIMESTAMP: 'Fri Dec 4 19:05:07 UTC 2026',
          PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
        },
      })
    expect((await forged(emu)).json).toMatchObject({ __type: 'NotAuthorizedException' })
    expect((await forged(emu)).json).toMatchObject({ __type: 'NotAuthorizedException' }) // spent
    const zero = await call(emu, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: user.username, SRP_A: '0' },
    })
    expect(zero.json).toMatchObject({ __type: 'InvalidParameterException' })
  })
})
