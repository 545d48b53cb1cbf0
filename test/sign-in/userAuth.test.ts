/**
 * Choice-based sign-in (USER_AUTH) with createSignIn against the emulator: the first factors
 * offered, a passwordless email code, a password by SRP that goes on to MFA, and a wrong password
 * that keeps the choice open.
 */
import { describe, expect, it } from 'vitest'
import { createSignIn, getUserAuthFactors } from '../../src/sign-in/index'
import { srp } from '../../src/sign-in/srp/index'
import { start, stopEmulatorsAfterEach } from '../emulator/helpers'
import { memoryClient } from './client'

stopEmulatorsAfterEach()

const clientId = 'choicesignin00000000000001'
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const user = {
  username: 'ivan',
  password: 'Passw0rd!ivan',
  attributes: { email: 'ivan@example.com' },
  mfa: { totpSecret: secret },
}

async function setup() {
  const emu = await start({
    users: [user],
    clients: [{ clientId, explicitAuthFlows: ['ALLOW_USER_AUTH'] }],
    firstAuthFactors: ['PASSWORD', 'EMAIL_OTP'],
  })
  const client = memoryClient(emu, clientId)
  const flow = createSignIn(client, {
    clientId,
    endpoint: emu.url,
    userPoolId: emu.userPoolId,
    srp,
  })
  return { emu, client, flow }
}

describe('createSignIn: choice-based (USER_AUTH)', () => {
  it('offers the factors; an email code signs in without a password', async () => {
    const { emu, client, flow } = await setup()
    await flow.start({ username: user.username })
    expect(flow.getSnapshot()).toMatchObject({
      step: 'selectFactor',
      options: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
    })
    await flow.chooseFactor('EMAIL_OTP')
    expect(flow.getSnapshot()).toMatchObject({ step: 'emailCode', destination: 'i***@e***' })
    await flow.submitCode(emu.messages(user.username).at(-1)!.code)
    expect(flow.getSnapshot().step).toBe('signedIn')
    expect(client.getSnapshot().status).toBe('authenticated')
  })

  it('a password by SRP goes on to MFA; a wrong one keeps the choice open', async () => {
    const { emu, flow } = await setup()
    await flow.start({ username: user.username })
    await flow.chooseFactor('PASSWORD', { password: 'Wr0ng!pass' })
    expect(flow.getSnapshot()).toMatchObject({
      step: 'selectFactor',
      error: { code: 'NotAuthorizedException' },
    })
    await flow.chooseFactor('PASSWORD_SRP', { password: user.password })
    expect(flow.getSnapshot().step).toBe('totpCode')
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot().step).toBe('signedIn')
  })

  it('getUserAuthFactors tells what the signed-in user can sign in with and has set up', async () => {
    const { emu, client, flow } = await setup()
    await flow.start({ username: user.username })
    await flow.chooseFactor('EMAIL_OTP')
    await flow.submitCode(emu.messages(user.username).at(-1)!.code)
    expect(await getUserAuthFactors(client, { endpoint: emu.url })).toEqual({
      username: user.username,
      firstFactors: ['PASSWORD', 'EMAIL_OTP'],
      mfa: ['SOFTWARE_TOKEN_MFA'],
      preferredMfa: undefined,
    })
    // Signed out, there is no access token to ask with: a typed error, no call.
    await client.signOut()
    const calls = emu.stats().calls.GetUserAuthFactors
    await expect(getUserAuthFactors(client, { endpoint: emu.url })).rejects.toMatchObject({
      code: 'SignedOut',
    })
    expect(emu.stats().calls.GetUserAuthFactors).toEqual(calls)
  })
})
