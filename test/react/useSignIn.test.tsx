/**
 * `useSignIn` in StrictMode against the emulator over HTTP: the steps render as state, the
 * actions answer them, one request per action (StrictMode's double render sends nothing twice),
 * and the session lands in the provider's client.
 */
import { act, waitFor } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import { useAuth } from '../../src/react/useAuth'
import { useSignIn } from '../../src/sign-in/react/index'
import { renderHookWithAuth } from '../helpers/renderWithAuth'

const clientId = 'reactsignin000000000000001'
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const user = { username: 'erin', password: 'Passw0rd!erin', mfa: { totpSecret: secret } }
let emu: Emulator

beforeAll(async () => {
  emu = await startEmulator({ clients: [{ clientId }], users: [user] })
})
afterAll(() => emu.stop())

describe('useSignIn', () => {
  it('renders each step and signs the provider in, one request per action in StrictMode', async () => {
    const { result } = renderHookWithAuth(
      () => ({ signIn: useSignIn({ clientId, endpoint: emu.url }), auth: useAuth() }),
      { clientId, transport: cognitoTransport({ clientId, endpoint: emu.url }) },
    )
    expect(result.current.signIn.step).toBe('start')
    await act(() =>
      result.current.signIn.signIn({ username: user.username, password: user.password }),
    )
    await waitFor(() => expect(result.current.signIn.step).toBe('totpCode'))
    expect(emu.stats().calls.InitiateAuth).toEqual({ ok: 1 })
    await act(() =>
      result.current.signIn.submitCode('000000' === emu.totpCode(secret) ? '111111' : '000000'),
    )
    expect(result.current.signIn).toMatchObject({
      step: 'totpCode',
      error: { code: 'CodeMismatchException' },
    })
    await act(() => result.current.signIn.submitCode(emu.totpCode(secret)))
    await waitFor(() => expect(result.current.signIn.step).toBe('signedIn'))
    expect(result.current.auth.isAuthenticated).toBe(true)
    expect(emu.stats().calls.RespondToAuthChallenge).toEqual({ CodeMismatchException: 1, ok: 1 })
  })
})
