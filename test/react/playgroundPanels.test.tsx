/**
 * The playground's panels on a real client over fakes: what a new user saw wrong, pinned. The
 * components import the library by its package name, resolved to the sources (vitest.config.ts).
 */
import { act, fireEvent, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { ActivityLog } from '../../playground/src/components/ActivityLog'
import { ApiPanel } from '../../playground/src/components/ApiPanel'
import { LostReplyControl } from '../../playground/src/components/LostReplyControl'
import { SessionCard } from '../../playground/src/components/SessionCard'
import { SignInForm } from '../../playground/src/components/SignInForm'
import {
  type EmulatorControl,
  EmulatorControlError,
  type FaultState,
} from '../../playground/src/emulatorControl'
import { labelFor } from '../../playground/src/tab'
import { renderWithAuth } from '../helpers/renderWithAuth'

const apiUrl = 'https://api.example.com/profile'
const okApi = (async () =>
  new Response(JSON.stringify({ username: 'demo@example.com' }), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  })) as unknown as typeof fetch

const flush = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)))

describe('playground panels', () => {
  it('removes the last API result when the session ends', async () => {
    const { client, transport } = renderWithAuth(<ApiPanel url={apiUrl} fetch={okApi} />)
    await act(async () => void client.setSession(transport.signIn()))
    fireEvent.click(screen.getByRole('button', { name: 'Call the API' }))
    await flush()
    expect(screen.getByTestId('api-result').textContent).toContain('demo@example.com')
    await act(() => client.signOut())
    expect(screen.queryByTestId('api-result')).toBeNull()
    expect(document.body.textContent).not.toContain('demo@example.com')
  })

  it('prints the error code once after a rejected refresh', async () => {
    const { client, transport } = renderWithAuth(
      <SignInForm signIn={async () => transport.signIn()} />,
    )
    await act(async () => void client.setSession(transport.signIn()))
    transport.fail('NotAuthorizedException')
    await act(() => client.refresh({ force: true }).catch(() => undefined))
    const notice = screen.getByTestId('signout-reason').textContent ?? ''
    expect(notice).toContain('NotAuthorizedException: injected')
    expect(notice.match(/NotAuthorizedException/g)).toHaveLength(1)
  })

  it('counts down to the retry while retrying, and shows the code once', async () => {
    const { client, transport } = renderWithAuth(<SessionCard />)
    await act(async () => void client.setSession(transport.signIn()))
    transport.fail('InternalErrorException')
    await act(() => client.refresh({ force: true }).catch(() => undefined))
    expect(client.getSnapshot().refresh).toBe('retrying')
    expect(screen.getByTestId('refresh-countdown').textContent).toMatch(/^retry in \d/)
    const notice = screen.getByTestId('error-notice').textContent ?? ''
    expect(notice.match(/InternalErrorException/g)).toHaveLength(1)
    // The session label is a short hash, not a prefix of the id.
    const label = screen.getByTestId('session-label').textContent ?? ''
    expect(label).toMatch(/^[0-9a-f]{6}$/)
    expect(client.getSnapshot().tokens!.sessionId.startsWith(label)).toBe(false)
  })

  it('does not ask a signed-in tab to sign in, and counts "1 event"', () => {
    const one = labelFor(1)
    const view = renderWithAuth(<ActivityLog entries={[]} signedIn />)
    expect(document.body.textContent).not.toContain('Sign in')
    expect(document.body.textContent).toContain('Nothing yet since this tab opened')
    view.unmount()
    renderWithAuth(
      <ActivityLog entries={[{ id: '1', at: 0, tab: one, kind: 'signedIn', detail: 'x' }]} />,
    )
    expect(document.body.textContent).toContain('1 event')
    expect(document.body.textContent).not.toContain('1 events')
  })
})

describe('the lost-reply control', () => {
  const control = (setFaults: EmulatorControl['setFaults']) =>
    ({ setFaults }) as unknown as EmulatorControl
  const grace = { enabled: true, retryGracePeriodSeconds: 10 }

  it('queues a lostReply fault on the refresh operations', async () => {
    const calls: unknown[] = []
    const queued = vi.fn()
    renderWithAuth(
      <LostReplyControl
        control={control(async (input) => {
          calls.push(input)
          return { queue: [{ kind: 'lostReply' }] } as unknown as FaultState
        })}
        rotation={grace}
        onQueued={queued}
      />,
    )
    fireEvent.click(screen.getByTestId('lost-reply'))
    await flush()
    expect(calls).toEqual([{ failNext: [{ kind: 'lostReply' }] }])
    expect(queued).toHaveBeenCalledTimes(1)
    expect(screen.getByTestId('lost-reply-queued').textContent).toContain('no sign-out')
  })

  it('says clearly that an emulator refusing the kind (400) does not offer it', async () => {
    renderWithAuth(
      <LostReplyControl
        control={control(async () => {
          throw new EmulatorControlError(400, 'Faults: a fault needs kind error, throttle…')
        })}
        rotation={grace}
        onQueued={() => undefined}
      />,
    )
    fireEvent.click(screen.getByTestId('lost-reply'))
    await flush()
    expect(screen.getByTestId('lost-reply-unsupported').textContent).toContain(
      'does not offer the lost-reply fault',
    )
    expect((screen.getByTestId('lost-reply') as HTMLButtonElement).disabled).toBe(true)
  })

  it('is offered only with a grace period above 0', () => {
    renderWithAuth(
      <LostReplyControl
        control={control(async () => ({}) as FaultState)}
        rotation={{ enabled: true, retryGracePeriodSeconds: 0 }}
        onQueued={() => undefined}
      />,
    )
    const button = screen.getByTestId('lost-reply') as HTMLButtonElement
    expect(button.disabled).toBe(true)
    expect(button.textContent).toContain('grace period above 0')
  })
})
