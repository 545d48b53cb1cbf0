/**
 * Headless sign-in against the emulator over HTTP: password, a forced new password, TOTP (the
 * code computed from the secret), email and SMS codes (read back from the emulator), the choice of
 * factor, and setting up an authenticator. A wrong answer keeps the step; a lapsed challenge goes
 * back to the start, saying so; the password and codes never appear in an error; the tokens go
 * through setSession.
 */
import { describe, expect, it } from 'vitest'
import type { EmulatorOptions, UserConfig } from '../../src/emulator'
import { createSignIn, type SignInFlow } from '../../src/sign-in/index'
import { start, stopEmulatorsAfterEach } from '../emulator/helpers'
import { memoryClient } from './client'

stopEmulatorsAfterEach()

const clientId = 'headlesssignin000000000001'
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const user = {
  username: 'dave',
  password: 'Passw0rd!dave',
  attributes: { email: 'dave@example.com', phone_number: '+15555550188' },
}

async function setup(
  patch: Partial<UserConfig> = {},
  options: EmulatorOptions = {},
  flowOptions = {},
) {
  const emu = await start({ users: [{ ...user, ...patch }], clients: [{ clientId }], ...options })
  const client = memoryClient(emu, clientId)
  const flow = createSignIn(client, { clientId, endpoint: emu.url, ...flowOptions })
  const steps: string[] = []
  flow.subscribe(() => {
    const s = flow.getSnapshot()
    if (!s.busy && steps.at(-1) !== s.step) steps.push(s.step)
  })
  return { emu, client, flow, steps }
}

const signIn = (flow: SignInFlow, password = user.password) =>
  flow.signIn({ username: user.username, password })

describe('createSignIn (headless, against the emulator)', () => {
  it('signs in with a password; the tokens go through setSession', async () => {
    const { client, flow } = await setup()
    await signIn(flow)
    const state = flow.getSnapshot()
    expect(state).toMatchObject({
      step: 'signedIn',
      busy: false,
      error: null,
      username: user.username,
    })
    expect(client.getSnapshot().status).toBe('authenticated')
    expect(client.getSnapshot().tokens?.accessToken).toBe(
      state.step === 'signedIn' && state.tokens.accessToken,
    )
  })

  it('a wrong password stays at the start with a typed error that does not carry the password', async () => {
    const { client, flow } = await setup()
    await signIn(flow, 'Wr0ng!password')
    const state = flow.getSnapshot()
    expect(state.step).toBe('start')
    expect(state.error).toMatchObject({ code: 'NotAuthorizedException' })
    expect(JSON.stringify(state.error)).not.toContain('Wr0ng!password')
    expect(client.getSnapshot().status).not.toBe('authenticated')
  })

  it('NEW_PASSWORD_REQUIRED: a weak password keeps the step, a good one signs in', async () => {
    const { flow, steps } = await setup({ status: 'FORCE_CHANGE_PASSWORD' })
    await signIn(flow)
    expect(flow.getSnapshot()).toMatchObject({
      step: 'newPassword',
      requiredAttributes: [],
      userAttributes: { email: user.attributes.email },
    })
    await flow.setNewPassword('weak')
    expect(flow.getSnapshot()).toMatchObject({
      step: 'newPassword',
      error: { code: 'InvalidPasswordException' },
    })
    expect(JSON.stringify(flow.getSnapshot().error)).not.toContain('weak"')
    await flow.setNewPassword('N3w!Password', { name: 'Dave' })
    expect(flow.getSnapshot().step).toBe('signedIn')
    expect(steps).toEqual(['newPassword', 'signedIn'])
  })

  it('TOTP: a wrong code keeps the step (the code is not in the error), the right one signs in', async () => {
    const { emu, flow } = await setup({ mfa: { totpSecret: secret } })
    await signIn(flow)
    expect(flow.getSnapshot()).toMatchObject({ step: 'totpCode', expiresAt: expect.any(Number) })
    const wrong = emu.totpCode(secret) === '123456' ? '654321' : '123456'
    await flow.submitCode(wrong)
    expect(flow.getSnapshot()).toMatchObject({
      step: 'totpCode',
      error: { code: 'CodeMismatchException' },
    })
    expect(JSON.stringify(flow.getSnapshot().error)).not.toContain(wrong)
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot().step).toBe('signedIn')
  })

  it('email and SMS codes, with the masked destination', async () => {
    for (const [mfa, step] of [
      [{ email: true }, 'emailCode'],
      [{ sms: true }, 'smsCode'],
    ] as const) {
      const { emu, flow } = await setup({ mfa })
      await signIn(flow)
      expect(flow.getSnapshot()).toMatchObject({ step, destination: expect.stringMatching(/\*/) })
      await flow.submitCode(emu.messages(user.username).at(-1)!.code)
      expect(flow.getSnapshot().step).toBe('signedIn')
      await emu.stop()
    }
  })

  it('SELECT_MFA_TYPE: the factors offered, then the chosen one', async () => {
    const { emu, flow, steps } = await setup({ mfa: { totpSecret: secret, email: true } })
    await signIn(flow)
    expect(flow.getSnapshot()).toMatchObject({
      step: 'selectMfa',
      options: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'],
    })
    await flow.selectMfa('EMAIL_OTP')
    expect(flow.getSnapshot().step).toBe('emailCode')
    await flow.submitCode(emu.messages(user.username).at(-1)!.code)
    expect(steps).toEqual(['selectMfa', 'emailCode', 'signedIn'])
  })

  it('MFA_SETUP: the secret and its otpauth URI, a wrong code kept, the right one signs in', async () => {
    const { emu, flow } = await setup({}, { mfa: 'ON' }, { totpIssuer: 'My App' })
    await signIn(flow)
    const state = flow.getSnapshot()
    if (state.step !== 'setupTotp') throw new Error(`step ${state.step}`)
    expect(state.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(state.uri).toBe(
      `otpauth://totp/My%20App%3A${user.username}?secret=${state.secret}&issuer=My%20App`,
    )
    await flow.submitCode('000000' === emu.totpCode(state.secret) ? '111111' : '000000')
    expect(flow.getSnapshot()).toMatchObject({
      step: 'setupTotp',
      error: { code: 'EnableSoftwareTokenMFAException' },
    })
    await flow.submitCode(emu.totpCode(state.secret), { deviceName: 'phone' })
    expect(flow.getSnapshot().step).toBe('signedIn')
  })

  it('a challenge that lapsed goes back to the start, saying so; the flow signs in again', async () => {
    const { emu, flow } = await setup({ mfa: { totpSecret: secret } })
    await signIn(flow)
    emu.faults.set({ clockOffsetMs: 181_000 }) // the emulator's Session lapsed; our clock has not
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot()).toMatchObject({
      step: 'start',
      username: user.username,
      error: { code: 'ChallengeExpired' },
    })
    emu.faults.set({ clockOffsetMs: 0 })
    await signIn(flow)
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot().step).toBe('signedIn')
  })

  it('lapses on its own clock too, without asking Cognito', async () => {
    let now = Date.now()
    const clock = { now: () => now, setTimeout, clearTimeout } as never
    const { emu, flow } = await setup({ mfa: { totpSecret: secret } }, {}, { clock })
    await signIn(flow)
    now += 180_000
    const calls = emu.stats().calls.RespondToAuthChallenge
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot()).toMatchObject({ step: 'start', error: { code: 'ChallengeExpired' } })
    expect(emu.stats().calls.RespondToAuthChallenge).toEqual(calls)
  })

  it('a network failure keeps the step, retryable; reset() goes back to the start', async () => {
    const { emu, flow } = await setup({ mfa: { totpSecret: secret } })
    await signIn(flow)
    emu.faults.set({ failNext: [{ kind: 'html', status: 502 }] })
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot()).toMatchObject({
      step: 'totpCode',
      error: { code: 'HttpError', kind: 'retryable' },
    })
    flow.reset()
    expect(flow.getSnapshot()).toMatchObject({ step: 'start', error: null, username: null })
  })
})
