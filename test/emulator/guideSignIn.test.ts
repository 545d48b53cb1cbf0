// The "Sign in from a test file" snippet of docs/guides/testing-with-the-emulator.md, verbatim
// between the region markers except for the import paths (guide.test.ts checks that it is).
// #region guide-sign-in
import { afterAll, beforeAll, expect, it } from 'vitest'
import { cognitoTransport, createAuthClient, memoryStorage } from '../../src/core'
import { type Emulator, startEmulator } from '../../src/emulator'

const clientId = 'testclient0000000000000001'
let emu: Emulator

beforeAll(async () => {
  // With a global setup, skip this and take the URL from inject('cognitoUrl') instead.
  emu = await startEmulator({
    clients: [
      { clientId, refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 } },
    ],
  })
})
afterAll(() => emu.stop())

/** Over HTTP, so it works from any test process: what your app's sign-in form would send. */
async function signIn(endpoint: string, username: string, password: string) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  })
  const reply = await response.json()
  if (!response.ok) throw new Error(`sign-in failed: ${reply.__type}`)
  return reply.AuthenticationResult
}

it('starts signed in and refreshes', async () => {
  const url = emu.url
  // A user of the test's own, through the control endpoint (JSON only).
  const added = await fetch(`${url}/_emulator/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'Passw0rd!alice' }),
  })
  expect(added.status).toBe(200)

  const auth = createAuthClient({
    clientId,
    transport: cognitoTransport({ clientId, endpoint: url }),
    storage: memoryStorage(), // Node has no localStorage
  })
  const tokens = auth.setSession(await signIn(url, 'alice', 'Passw0rd!alice'))
  expect(auth.getSnapshot().status).toBe('authenticated')

  const refreshed = await auth.refresh({ force: true })
  expect(refreshed.refreshToken).not.toBe(tokens.refreshToken) // rotated
  auth.dispose()
})
// #endregion guide-sign-in
