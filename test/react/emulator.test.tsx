import { act, fireEvent, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AuthenticationResult } from '../../src/core/tokens'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import { useAuth } from '../../src/react/useAuth'
import { useAuthFetch } from '../../src/react/useAuthFetch'
import { useTokens } from '../../src/react/useTokens'
import { createCommitCounter, renderWithAuth } from '../helpers/renderWithAuth'

// The React layer against the emulator over real HTTP on 127.0.0.1: sign-in (InitiateAuth),
// refresh (GetTokensFromRefreshToken), revocation, and its protected demo API. Only our clock is
// simulated.
let emu: Emulator
const clientId = 'reactclient000000000000001'
const user = { username: 'react@example.com', password: 'Passw0rd!react' }

beforeAll(async () => {
  emu = await startEmulator({
    clients: [
      {
        clientId,
        accessTokenValiditySeconds: 300,
        explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 5 },
      },
    ],
    users: [{ ...user, attributes: { email: user.username, email_verified: 'true' } }],
  })
})
afterAll(() => emu.stop())
beforeEach(() => emu.reset())

/** USER_PASSWORD_AUTH over HTTP, the way an app's sign-in form would call it. */
async function initiateAuth(): Promise<AuthenticationResult> {
  const response = await fetch(emu.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as { AuthenticationResult: AuthenticationResult })
    .AuthenticationResult
}

function App() {
  const { status, setSession, signOut } = useAuth()
  const authFetch = useAuthFetch({ allowedOrigins: [new URL(emu.demoApiUrl).origin] })
  const [profile, setProfile] = useState('-')
  return (
    <>
      <p>status: {status}</p>
      <button onClick={() => void initiateAuth().then(setSession)}>sign in</button>
      <button
        onClick={() =>
          void authFetch(emu.demoApiUrl)
            .then(
              async (r) => `${r.status} ${((await r.json()) as { username?: string }).username}`,
            )
            .then(setProfile)
        }
      >
        load profile
      </button>
      <button onClick={() => void signOut()}>sign out</button>
      <p>profile: {profile}</p>
    </>
  )
}

function Sub() {
  return <p>sub: {useTokens((t) => t?.accessClaims.sub) ?? '-'}</p>
}

const refreshCalls = () => emu.stats().refreshes.length

describe('the React hooks against the emulator', () => {
  it('signs in, calls the protected API, refreshes on schedule, and signs out with revocation', async () => {
    const { Counted, count, reset } = createCommitCounter()
    const view = renderWithAuth(
      <>
        <App />
        <Counted id="sub">
          <Sub />
        </Counted>
      </>,
      {
        clientId,
        // The manual clock jumps minutes while a real HTTP call is on its way: our bounds on the
        // call (the transport's timeout and the refresh's) would fire first.
        transport: cognitoTransport({ clientId, endpoint: emu.url, timeoutMs: 24 * 3_600_000 }),
        random: () => 0.5,
        refreshTimeoutMs: 24 * 3_600_000,
      },
    )
    view.getByText('status: unauthenticated')
    fireEvent.click(view.getByText('sign in'))
    await waitFor(() => view.getByText('status: authenticated'))
    const sub = view.client.getSnapshot().tokens!.accessClaims.sub!
    view.getByText(`sub: ${sub}`)

    fireEvent.click(view.getByText('load profile'))
    await waitFor(() => view.getByText(`profile: 200 ${user.username}`))
    expect(emu.stats().demoApi.ok).toBe(1)

    // Three lifetimes of a 5-minute token: one GetTokensFromRefreshToken each, rotated.
    reset()
    for (let lifetime = 1; lifetime <= 3; lifetime++) {
      await view.advance(240_000)
      await waitFor(() => expect(refreshCalls()).toBe(lifetime))
      await waitFor(() => expect(view.client.getSnapshot().tokens!.version).toBe(lifetime + 1))
    }
    expect(emu.stats().refreshes.every((r) => r.outcome === 'ok' && r.rotated)).toBe(true)
    expect(count('sub')).toBe(0) // the sub selector never re-rendered

    fireEvent.click(view.getByText('sign out'))
    await waitFor(() => view.getByText('status: unauthenticated'))
    await waitFor(() => expect(emu.stats().calls.RevokeToken?.ok).toBe(1))
    view.getByText('sub: -')
  })

  it('retries a 401 from the API once, after one forced refresh over HTTP', async () => {
    const view = renderWithAuth(<App />, {
      clientId,
      transport: cognitoTransport({ clientId, endpoint: emu.url }),
    })
    // Tokens minted two hours in the past: our client trusts ExpiresIn, the API sees them expired.
    emu.faults.set({ clockOffsetMs: -2 * 3_600_000 })
    fireEvent.click(view.getByText('sign in'))
    await waitFor(() => view.getByText('status: authenticated'))
    emu.faults.set({ clockOffsetMs: 0 })

    fireEvent.click(view.getByText('load profile'))
    await waitFor(() => view.getByText(`profile: 200 ${user.username}`))
    expect(emu.stats().demoApi).toMatchObject({ expired: 1, ok: 1 })
    expect(refreshCalls()).toBe(1)
    await act(async () => undefined)
  })
})
