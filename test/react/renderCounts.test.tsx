import { act } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { shallowEqual } from '../../src/react/shallowEqual'
import { useAuth } from '../../src/react/useAuth'
import { useAuthState } from '../../src/react/useAuthState'
import { useTokens } from '../../src/react/useTokens'
import { createCommitCounter, renderWithAuth } from '../helpers/renderWithAuth'

const hour = 3_600_000

function SubOnly() {
  return <p>sub: {useTokens((t) => t?.accessClaims.sub) ?? '-'}</p>
}
function AccessToken() {
  const token = useTokens((t) => t?.accessToken)
  return <p>token: {token === undefined ? 'none' : `…${token.slice(-6)}`}</p>
}
function Profile() {
  // A derived object: stable only because of shallowEqual.
  const profile = useTokens(
    (t) => ({ sub: t?.idClaims?.sub, email: t?.idClaims?.email }),
    shallowEqual,
  )
  return <p>email: {profile.email ?? '-'}</p>
}
function ProfileUnstable() {
  const profile = useTokens((t) => ({ email: t?.idClaims?.email }))
  return <p>unstable: {profile.email ?? '-'}</p>
}
function StatusOnly() {
  return <p>status: {useAuthState((s) => s.status)}</p>
}
function FullAuth() {
  const { status, refreshStatus } = useAuth()
  return (
    <p>
      auth: {status}/{refreshStatus}
    </p>
  )
}

describe('selector hooks re-render only when their selection changes', () => {
  it('counts commits over three refreshes', async () => {
    const { Counted, count, reset } = createCommitCounter()
    const ui = (
      <>
        <Counted id="sub">
          <SubOnly />
        </Counted>
        <Counted id="token">
          <AccessToken />
        </Counted>
        <Counted id="profile">
          <Profile />
        </Counted>
        <Counted id="unstable">
          <ProfileUnstable />
        </Counted>
        <Counted id="status">
          <StatusOnly />
        </Counted>
        <Counted id="auth">
          <FullAuth />
        </Counted>
      </>
    )
    const { client, transport, advance, getByText } = renderWithAuth(ui, { random: () => 0.5 })
    await act(async () => void client.setSession(transport.signIn()))
    getByText('email: demo@example.com')
    getByText('status: authenticated')
    const firstToken = client.getSnapshot().tokens!.accessToken
    reset()

    // One act() per refresh (React 18's act batches every update inside one scope into a commit).
    for (let i = 0; i < 3; i++) await advance(hour)
    const snapshot = client.getSnapshot()
    expect(transport.calls).toHaveLength(3)
    expect(snapshot.tokens!.version).toBe(4)
    expect(snapshot.tokens!.accessToken).not.toBe(firstToken)
    getByText(`token: …${snapshot.tokens!.accessToken.slice(-6)}`)

    expect(count('sub')).toBe(0)
    expect(count('profile')).toBe(0)
    expect(count('status')).toBe(0)
    expect(count('token')).toBe(3) // once per refresh
    // useAuth: `refreshing`, then `idle` with the new claims: at most two commits per refresh
    // (React 18's act batches the two into one).
    expect(count('auth')).toBeGreaterThanOrEqual(3)
    expect(count('auth')).toBeLessThanOrEqual(6)
    // Without an equality function a derived object re-renders on every snapshot.
    expect(count('unstable')).toBe(count('auth'))
  })

  it('re-renders a sub selector when the user changes, and not when the same user signs in again', async () => {
    const { Counted, count, reset } = createCommitCounter()
    const { client, transport, getByText } = renderWithAuth(
      <Counted id="sub">
        <SubOnly />
      </Counted>,
    )
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-a' })))
    getByText('sub: user-a')
    reset()
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-a' })))
    expect(count('sub')).toBe(0)
    await act(async () => void client.setSession(transport.signIn({ sub: 'user-b' })))
    getByText('sub: user-b')
    expect(count('sub')).toBe(1)
    await act(() => client.signOut())
    getByText('sub: -')
    expect(count('sub')).toBe(2)
  })
})
