import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { memoryStorage, type StorageAdapter } from 'react-cognito-refresh/core'
import { createManualLifecycle } from '../test/helpers/fakeEnvironment'
import { OfflineBanner } from './fakes/OfflineBanner'
import { quietly, SessionView, StoryShell, type StoryShellProps } from './fakes/StoryShell'
import { storyClientId } from './fakes/storyTab'

/**
 * Every state of the session card, each reached by driving a real AuthClient on in-memory fakes
 * (fake transport, fake JWTs with made-up claims). No story holds real token material.
 */
const meta = {
  title: 'Session/States',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const shell = (props: Omit<StoryShellProps, 'children'>): Story => ({
  render: () => <StoryShell {...props}>{(tab) => <SessionView tab={tab} />}</StoryShell>,
})

/** A version marker that says another tab holds a session, which nobody answers for. */
function markerSaysElsewhere(): StorageAdapter {
  const marker = memoryStorage()
  marker.setItem(
    `react-cognito-refresh.${storyClientId}.version`,
    JSON.stringify({ sessionId: 'elsewhere', version: 1 }),
  )
  return marker
}

/** Tab-private storage, asking the other tabs for the session: status stays `loading`. */
export const Loading: Story = shell({
  options: {
    client: {
      storage: memoryStorage(),
      versionMarker: markerSaysElsewhere(),
      peerTimeoutMs: 600_000,
    },
  },
})

export const NeverSignedIn: Story = shell({})

export const Authenticated: Story = shell({ options: { signedIn: true } })

/** A refresh is on its way (the transport holds the answer). */
export const Refreshing: Story = shell({
  options: { signedIn: true },
  scenario: ({ client, transport }) => {
    transport.hang()
    quietly(client.refresh({ force: true }))
  },
})

/** Offline: the session and the valid access token are kept, the refresh is retried with backoff. */
export const RetryingAfterNetworkError: Story = shell({
  options: { signedIn: true },
  scenario: ({ client, transport }) => {
    transport.failAlways('NetworkError', 'Failed to fetch')
    quietly(client.refresh({ force: true }))
  },
})

/**
 * The browser is offline: every refresh fails with NetworkError. The session and its still-valid
 * access token are kept and the card counts down to the retry. "Back online" fires the page's
 * `online` event, and the client retries at once instead of waiting out the backoff.
 */
function BrowserOfflineStory() {
  // One lifecycle for the story's life: the client listens to it, the button fires it.
  const [life] = useState(createManualLifecycle)
  return (
    <StoryShell
      options={{ signedIn: true, client: { environment: { lifecycle: life.lifecycle } } }}
      scenario={({ client, transport }) => {
        transport.failAlways('NetworkError', 'Failed to fetch')
        quietly(client.refresh({ force: true }))
      }}
    >
      {(tab) => (
        <div style={{ display: 'grid', gap: 16, maxWidth: 760 }}>
          <OfflineBanner
            onBackOnline={() => {
              tab.transport.recover()
              life.fire('online')
            }}
          />
          <SessionView tab={tab} />
        </div>
      )}
    </StoryShell>
  )
}

export const BrowserOffline: Story = { render: () => <BrowserOfflineStory /> }

/** TooManyRequestsException with Retry-After: the client waits at least that long. */
export const Throttled: Story = shell({
  options: { signedIn: true },
  scenario: ({ client, transport }) => {
    transport.failAlways('TooManyRequestsException', 'Rate exceeded', {
      retryAfterMs: 30_000,
      status: 400,
    })
    quietly(client.refresh({ force: true }))
  },
})

export const SignedOutBySignOut: Story = shell({
  options: { signedIn: true },
  scenario: ({ client }) => client.signOut(),
})

/** Cognito rejected the refresh token (NotAuthorizedException): the session ends in every tab. */
export const SignedOutRejected: Story = shell({
  options: { signedIn: true },
  scenario: ({ client, transport }) => {
    transport.failOnce('NotAuthorizedException', 'Refresh Token has been revoked', { status: 400 })
    quietly(client.refresh({ force: true }))
  },
})

/** The refresh token was rotated away and no tab held its successor. */
export const SignedOutReuse: Story = shell({
  options: { signedIn: true },
  scenario: ({ client, transport }) => {
    transport.failOnce(
      'RefreshTokenReuseException',
      'Refresh token has been invalidated by rotation.',
      {
        status: 400,
      },
    )
    quietly(client.refresh({ force: true }))
  },
})
