/**
 * The emulator's choice-based sign-in (USER_AUTH): the pool's first factors offered as
 * SELECT_CHALLENGE, a passwordless email code that signs in by itself, a preferred password that
 * goes on to MFA, a wrong choice corrected on the same Session, and a client without ALLOW_USER_AUTH.
 */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { call, start, stopEmulatorsAfterEach } from './helpers'

stopEmulatorsAfterEach()

const clientId = 'userauthclient000000000001'
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const user = {
  username: 'heidi',
  password: 'Passw0rd!heidi',
  attributes: { email: 'heidi@example.com' },
  mfa: { totpSecret: secret },
}

const pool = (explicitAuthFlows: Array<'ALLOW_USER_AUTH'> = ['ALLOW_USER_AUTH']) =>
  start({
    users: [user],
    clients: [{ clientId, explicitAuthFlows }],
    firstAuthFactors: ['PASSWORD', 'EMAIL_OTP'],
  })

const initiate = (emu: Emulator, params: Record<string, string> = {}) =>
  call(emu, 'InitiateAuth', {
    AuthFlow: 'USER_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: user.username, ...params },
  })

const respond = (
  emu: Emulator,
  name: string,
  session: unknown,
  responses: Record<string, string>,
) =>
  call(emu, 'RespondToAuthChallenge', {
    ClientId: clientId,
    ChallengeName: name,
    Session: session,
    ChallengeResponses: { USERNAME: user.username, ...responses },
  })

describe('emulator: USER_AUTH', () => {
  it('offers the first factors, and an email code signs in by itself (no MFA after it)', async () => {
    const emu = await pool()
    const first = await initiate(emu)
    expect(first.json).toMatchObject({
      ChallengeName: 'SELECT_CHALLENGE',
      AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
      Session: expect.any(String),
    })
    const wrong = await respond(emu, 'SELECT_CHALLENGE', first.json.Session, { ANSWER: 'SMS_OTP' })
    expect(wrong.json).toMatchObject({ __type: 'InvalidParameterException' })
    const chosen = await respond(emu, 'SELECT_CHALLENGE', first.json.Session, {
      ANSWER: 'EMAIL_OTP',
    })
    expect(chosen.json).toMatchObject({
      ChallengeName: 'EMAIL_OTP',
      ChallengeParameters: { CODE_DELIVERY_DESTINATION: 'h***@e***' },
    })
    const code = emu.messages(user.username).at(-1)!.code
    expect(code).toMatch(/^\d{8}$/)
    const done = await respond(emu, 'EMAIL_OTP', chosen.json.Session, { EMAIL_OTP_CODE: code })
    expect((done.json.AuthenticationResult as { AccessToken?: string }).AccessToken).toMatch(/^eyJ/)
  })

  it('a preferred password is taken at once, and goes on to the MFA the user set up', async () => {
    const emu = await pool()
    const wrong = await initiate(emu, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wr0ng!pass' })
    expect(wrong.json).toMatchObject({ __type: 'NotAuthorizedException' })
    const first = await initiate(emu, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: user.password })
    expect(first.json.ChallengeName).toBe('SOFTWARE_TOKEN_MFA')
    const done = await respond(emu, 'SOFTWARE_TOKEN_MFA', first.json.Session, {
      SOFTWARE_TOKEN_MFA_CODE: emu.totpCode(secret),
    })
    expect(done.json.AuthenticationResult).toBeDefined()
  })

  it('needs ALLOW_USER_AUTH on the app client', async () => {
    const emu = await pool(['ALLOW_USER_PASSWORD_AUTH' as never])
    expect((await initiate(emu)).json).toMatchObject({
      __type: 'InvalidParameterException',
      message: 'USER_AUTH flow not enabled for this client',
    })
  })

  it('GetUserAuthFactors needs a valid, unrevoked access token of this pool', async () => {
    const emu = await pool(['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH' as never])
    expect(
      (await call(emu, 'GetUserAuthFactors', { AccessToken: 'eyJhbGciOiJub25lIn0.e30.' })).json,
    ).toMatchObject({
      __type: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    })
    const session = await emu.signIn({ username: user.username, clientId })
    const ok = await call(emu, 'GetUserAuthFactors', { AccessToken: session.AccessToken })
    expect(ok.json).toMatchObject({
      Username: user.username,
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
    })
    await call(emu, 'RevokeToken', { ClientId: clientId, Token: session.RefreshToken })
    expect(
      (await call(emu, 'GetUserAuthFactors', { AccessToken: session.AccessToken })).json,
    ).toMatchObject({
      __type: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    })
  })
})
