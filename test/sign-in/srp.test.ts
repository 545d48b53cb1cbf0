/**
 * createSignIn with `srp` (react-cognito-refresh/sign-in/srp) against the emulator over HTTP: the
 * password never goes on the wire, a wrong one is refused at the claim, an unknown user the same,
 * MFA follows the verifier, and a client with a secret sends SECRET_HASH with both calls.
 */
import { getDiffieHellman } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import type { UserConfig } from '../../src/emulator'
import { createSignIn } from '../../src/sign-in/index'
import { srp } from '../../src/sign-in/srp/index'
import { g, N, srpTimestamp } from '../../src/sign-in/srp/group'
import { start, stopEmulatorsAfterEach } from '../emulator/helpers'
import { memoryClient } from './client'

stopEmulatorsAfterEach()

const clientId = 'srpsignin00000000000000001'
const clientSecret = 'asrpclientsecret0123456789abcdefghij'
const user = { username: 'grace', password: 'Passw0rd!grace' }
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

async function setup(patch: Partial<UserConfig> = {}, { withSecret = false } = {}) {
  const emu = await start({
    users: [{ ...user, ...patch }],
    clients: [{ clientId, ...(withSecret && { clientSecret }) }],
  })
  const client = memoryClient(emu, clientId)
  const bodies: string[] = []
  const fetchSpy = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(String(init?.body ?? ''))
    return fetch(input, init)
  })
  const flow = createSignIn(client, {
    clientId,
    endpoint: emu.url,
    userPoolId: emu.userPoolId,
    srp,
    fetch: fetchSpy as typeof fetch,
    ...(withSecret && { clientSecret }),
  })
  return { emu, client, flow, bodies }
}

describe('createSignIn with SRP', () => {
  it('signs in by USER_SRP_AUTH; the password never leaves the page', async () => {
    const { emu, client, flow, bodies } = await setup()
    await flow.signIn(user)
    expect(flow.getSnapshot()).toMatchObject({ step: 'signedIn', error: null })
    expect(client.getSnapshot().status).toBe('authenticated')
    expect(emu.stats().calls.RespondToAuthChallenge).toEqual({ ok: 1 })
    expect(bodies).toHaveLength(2)
    expect(bodies.join('\n')).not.toContain(user.password)
    expect(bodies[0]).toContain('"AuthFlow":"USER_SRP_AUTH"')
  })

  it('a wrong password, or a user that does not exist, is refused at the claim', async () => {
    const { flow } = await setup()
    await flow.signIn({ username: user.username, password: 'Wr0ng!password' })
    expect(flow.getSnapshot()).toMatchObject({
      step: 'start',
      error: { code: 'NotAuthorizedException' },
    })
    await flow.signIn({ username: 'nobody', password: user.password })
    expect(flow.getSnapshot()).toMatchObject({
      step: 'start',
      error: { code: 'NotAuthorizedException' },
    })
  })

  it('MFA follows the password verifier', async () => {
    const { emu, flow } = await setup({ mfa: { totpSecret: secret } })
    await flow.signIn(user)
    expect(flow.getSnapshot().step).toBe('totpCode')
    await flow.submitCode(emu.totpCode(secret))
    expect(flow.getSnapshot().step).toBe('signedIn')
  })

  it('a client with a secret sends SECRET_HASH with the challenge answer too', async () => {
    const { flow, bodies } = await setup({}, { withSecret: true })
    await flow.signIn(user)
    expect(flow.getSnapshot().step).toBe('signedIn')
    expect(bodies.every((b) => b.includes('SECRET_HASH'))).toBe(true)
    expect(bodies.join('\n')).not.toContain(clientSecret)
  })

  it('needs userPoolId', async () => {
    const { emu } = await setup()
    const client = memoryClient(emu, clientId)
    const flow = createSignIn(client, { clientId, endpoint: emu.url, srp })
    await flow.signIn(user)
    expect(flow.getSnapshot()).toMatchObject({
      step: 'start',
      error: { code: 'ConfigurationError' },
    })
  })

  it("uses RFC 3526's 3072-bit group (Node's modp15), generator 2", () => {
    expect(N).toBe(BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`))
    expect(g).toBe(2n)
  })

  it("writes Cognito's timestamp: the day unpadded, the time padded, UTC", () => {
    expect(srpTimestamp(Date.UTC(2026, 11, 4, 9, 5, 7))).toBe('Fri Dec 4 09:05:07 UTC 2026')
    expect(srpTimestamp(Date.UTC(2027, 0, 31, 23, 59, 59))).toBe('Sun Jan 31 23:59:59 UTC 2027')
  })
})
