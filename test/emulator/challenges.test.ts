/**
 * The emulator's sign-in challenges over HTTP: NEW_PASSWORD_REQUIRED for a user in
 * FORCE_CHANGE_PASSWORD, SOFTWARE_TOKEN_MFA with a code computed from the secret, SMS_MFA and
 * EMAIL_OTP with the code read back through the control API, SELECT_MFA_TYPE, and MFA_SETUP through
 * AssociateSoftwareToken / VerifySoftwareToken. Wrong answers, expired and spent Sessions are typed
 * errors; the real AWS SDK drives one flow, as an outside check of the wire shape.
 */
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { describe, expect, it } from 'vitest'
import type { Emulator, EmulatorOptions, UserConfig } from '../../src/emulator'
import { call, rejection, sdk, start, stopEmulatorsAfterEach } from './helpers'

stopEmulatorsAfterEach()

const clientId = 'challengetestclient0000001'
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const base = {
  username: 'carol',
  password: 'Passw0rd!carol',
  attributes: { email: 'carol@example.com', phone_number: '+15555550123' },
}

async function pool(user: Partial<UserConfig>, options: EmulatorOptions = {}) {
  return start({ users: [{ ...base, ...user }], clients: [{ clientId }], ...options })
}

const initiate = (emu: Emulator, password = base.password) =>
  call(emu, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: base.username, PASSWORD: password },
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
    ChallengeResponses: { USERNAME: base.username, ...responses },
  })

const tokensOf = (json: Record<string, unknown>) =>
  (json.AuthenticationResult as { AccessToken?: string; RefreshToken?: string } | undefined) ?? {}

describe('emulator: sign-in challenges', () => {
  it('NEW_PASSWORD_REQUIRED: a weak password is refused on the same Session, a good one signs in', async () => {
    const emu = await pool({ status: 'FORCE_CHANGE_PASSWORD' })
    const first = await initiate(emu)
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeParameters: { requiredAttributes: '[]' },
    })
    expect(
      JSON.parse((first.json.ChallengeParameters as Record<string, string>).userAttributes!),
    ).toMatchObject({ email: base.attributes.email })
    const weak = await respond(emu, 'NEW_PASSWORD_REQUIRED', first.json.Session, {
      NEW_PASSWORD: 'short',
    })
    expect(weak.json).toMatchObject({ __type: 'InvalidPasswordException' })
    const done = await respond(emu, 'NEW_PASSWORD_REQUIRED', first.json.Session, {
      NEW_PASSWORD: 'N3w!Password',
      'userAttributes.name': 'Carol',
    })
    expect(tokensOf(done.json).AccessToken).toMatch(/^eyJ/)
    expect((await initiate(emu)).json).toMatchObject({ __type: 'NotAuthorizedException' })
    expect(tokensOf((await initiate(emu, 'N3w!Password')).json).RefreshToken).toBeTypeOf('string')
  })

  it('SOFTWARE_TOKEN_MFA: a wrong code can be retried; the code from the secret signs in', async () => {
    const emu = await pool({ mfa: { totpSecret: secret } })
    const first = await initiate(emu)
    expect(first.json).toMatchObject({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: expect.any(String),
    })
    expect(first.json.AuthenticationResult).toBeUndefined()
    const wrong = await respond(emu, 'SOFTWARE_TOKEN_MFA', first.json.Session, {
      SOFTWARE_TOKEN_MFA_CODE: '000000' === emu.totpCode(secret) ? '111111' : '000000',
    })
    expect(wrong.json).toMatchObject({ __type: 'CodeMismatchException' })
    const right = await respond(emu, 'SOFTWARE_TOKEN_MFA', first.json.Session, {
      SOFTWARE_TOKEN_MFA_CODE: emu.totpCode(secret),
    })
    expect(tokensOf(right.json).AccessToken).toMatch(/^eyJ/)
    // The Session is spent once used.
    const again = await respond(emu, 'SOFTWARE_TOKEN_MFA', first.json.Session, {
      SOFTWARE_TOKEN_MFA_CODE: emu.totpCode(secret),
    })
    expect(again.json).toMatchObject({
      __type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    })
  })

  it('EMAIL_OTP and SMS_MFA: the code sent is readable through the control API, the destination is masked', async () => {
    for (const [mfa, name, key] of [
      [{ email: true }, 'EMAIL_OTP', 'EMAIL_OTP_CODE'],
      [{ sms: true }, 'SMS_MFA', 'SMS_MFA_CODE'],
    ] as const) {
      const emu = await pool({ mfa })
      const first = await initiate(emu)
      expect(first.json.ChallengeName).toBe(name)
      const params = first.json.ChallengeParameters as Record<string, string>
      expect(params.CODE_DELIVERY_DESTINATION).toBe(
        name === 'EMAIL_OTP' ? 'c***@e***' : '+*******0123',
      )
      const listed = (await (
        await fetch(`${emu.url}/_emulator/messages?username=${base.username}`)
      ).json()) as {
        messages: Array<{ code: string; medium: string }>
      }
      expect(listed.messages).toHaveLength(1)
      expect(listed.messages[0]!.medium).toBe(name === 'EMAIL_OTP' ? 'EMAIL' : 'SMS')
      expect(emu.messages(base.username)).toEqual(listed.messages)
      const done = await respond(emu, name, first.json.Session, { [key]: listed.messages[0]!.code })
      expect(tokensOf(done.json).AccessToken).toMatch(/^eyJ/)
      await emu.stop()
    }
  })

  it('SELECT_MFA_TYPE offers what the user set up, then asks for the chosen one', async () => {
    const emu = await pool({ mfa: { totpSecret: secret, sms: true } })
    const first = await initiate(emu)
    expect(first.json).toMatchObject({ ChallengeName: 'SELECT_MFA_TYPE' })
    expect(
      JSON.parse((first.json.ChallengeParameters as Record<string, string>).MFAS_CAN_CHOOSE!),
    ).toEqual(['SMS_MFA', 'SOFTWARE_TOKEN_MFA'])
    expect(
      (await respond(emu, 'SELECT_MFA_TYPE', first.json.Session, { ANSWER: 'EMAIL_OTP' })).json,
    ).toMatchObject({ __type: 'InvalidParameterException' })
    const chosen = await respond(emu, 'SELECT_MFA_TYPE', first.json.Session, {
      ANSWER: 'SOFTWARE_TOKEN_MFA',
    })
    expect(chosen.json.ChallengeName).toBe('SOFTWARE_TOKEN_MFA')
    const done = await respond(emu, 'SOFTWARE_TOKEN_MFA', chosen.json.Session, {
      SOFTWARE_TOKEN_MFA_CODE: emu.totpCode(secret),
    })
    expect(tokensOf(done.json).AccessToken).toMatch(/^eyJ/)
  })

  it('MFA_SETUP with the pool on: an authenticator is associated, verified, and asked for from then on', async () => {
    const emu = await pool({}, { mfa: 'ON' })
    const first = await initiate(emu)
    expect(first.json).toMatchObject({
      ChallengeName: 'MFA_SETUP',
      ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
    })
    expect((await respond(emu, 'MFA_SETUP', first.json.Session, {})).json).toMatchObject({
      __type: 'InvalidParameterException',
    })
    const associated = await call(emu, 'AssociateSoftwareToken', { Session: first.json.Session })
    const { SecretCode, Session } = associated.json as { SecretCode: string; Session: string }
    expect(SecretCode).toMatch(/^[A-Z2-7]{32}$/)
    const wrong = await call(emu, 'VerifySoftwareToken', {
      Session,
      UserCode: emu.totpCode(secret),
    })
    expect(wrong.json).toMatchObject({ __type: 'EnableSoftwareTokenMFAException' })
    const verified = await call(emu, 'VerifySoftwareToken', {
      Session,
      UserCode: emu.totpCode(SecretCode),
    })
    expect(verified.json).toMatchObject({ Status: 'SUCCESS', Session: expect.any(String) })
    const done = await respond(emu, 'MFA_SETUP', verified.json.Session, {})
    expect(tokensOf(done.json).AccessToken).toMatch(/^eyJ/)
    expect((await initiate(emu)).json.ChallengeName).toBe('SOFTWARE_TOKEN_MFA')
  })

  it('a Session lapses after 3 minutes, and is spent after 5 wrong codes', async () => {
    const emu = await pool({ mfa: { email: true } })
    const first = await initiate(emu)
    emu.faults.set({ clockOffsetMs: 181_000 })
    expect(
      (
        await respond(emu, 'EMAIL_OTP', first.json.Session, {
          EMAIL_OTP_CODE: emu.messages()[0]!.code,
        })
      ).json,
    ).toMatchObject({
      __type: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    })
    emu.faults.set({ clockOffsetMs: 0 })
    const second = await initiate(emu)
    for (let i = 0; i < 4; i++) {
      expect(
        (await respond(emu, 'EMAIL_OTP', second.json.Session, { EMAIL_OTP_CODE: 'wrong1' })).json
          .__type,
      ).toBe('CodeMismatchException')
    }
    expect(
      (await respond(emu, 'EMAIL_OTP', second.json.Session, { EMAIL_OTP_CODE: 'wrong1' })).json
        .__type,
    ).toBe('NotAuthorizedException')
    expect(
      (
        await respond(emu, 'EMAIL_OTP', second.json.Session, {
          EMAIL_OTP_CODE: emu.messages().at(-1)!.code,
        })
      ).json.__type,
    ).toBe('NotAuthorizedException')
  })

  it('the AWS SDK drives a challenge against the emulator', async () => {
    const emu = await pool({ mfa: { totpSecret: secret } })
    const client = sdk(emu)
    const first = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: base.username, PASSWORD: base.password },
      }),
    )
    expect(first.ChallengeName).toBe('SOFTWARE_TOKEN_MFA')
    const wrong = await rejection(
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: first.Session,
          ChallengeResponses: { USERNAME: base.username, SOFTWARE_TOKEN_MFA_CODE: 'abcdef' },
        }),
      ),
    )
    expect(wrong.name).toBe('CodeMismatchException')
    const done = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: first.Session,
        ChallengeResponses: {
          USERNAME: base.username,
          SOFTWARE_TOKEN_MFA_CODE: emu.totpCode(secret),
        },
      }),
    )
    expect(done.AuthenticationResult?.AccessToken).toMatch(/^eyJ/)
  })
})
