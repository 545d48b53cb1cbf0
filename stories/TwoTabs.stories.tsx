import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClientProvider } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { AuthProvider } from 'react-cognito-refresh'
import { ActivityLog } from '../playground/src/components/ActivityLog'
import { useActivity } from '../playground/src/useActivity'
import { createChannelHub, createSharedEnvironment } from './fakes/environment'
import { SessionView } from './fakes/StoryShell'
import { createStoryTab, type StoryTab } from './fakes/storyTab'
import { createStoryTransport } from './fakes/transport'

/**
 * Two tabs of one origin, side by side: two clients sharing one in-memory channel hub, lock and
 * storage, and one fake Cognito that rotates refresh tokens. Tokens live 8 seconds, so every few
 * seconds one tab refreshes and the other adopts its tokens; the log shows who did what.
 */
const meta = {
  title: 'Cross-tab/Two tabs',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

function useTwoTabs(): [StoryTab, StoryTab] {
  const [tabs] = useState(() => {
    const env = createSharedEnvironment()
    const transport = createStoryTransport({ expiresIn: 8, rotate: true })
    const activity = createChannelHub()
    const make = (n: number) =>
      createStoryTab({ n, env, transport, activityChannel: activity.channel() })
    return [make(1), make(2)] as [StoryTab, StoryTab]
  })
  useEffect(() => () => tabs.forEach((tab) => tab.dispose()), [tabs])
  return tabs
}

function TabFrame({ tab }: { tab: StoryTab }) {
  return (
    <AuthProvider client={tab.client}>
      <QueryClientProvider client={tab.queryClient}>
        <div className="tab-frame">
          <div className="tab-frame-title">
            <span className="tab-chip big" style={{ ['--hue' as string]: tab.label.hue }}>
              {tab.label.name}
            </span>
          </div>
          <SessionView tab={tab} compact />
        </div>
      </QueryClientProvider>
    </AuthProvider>
  )
}

function TwoTabs({ signIn }: { signIn: boolean }) {
  const [one, two] = useTwoTabs()
  const entries = useActivity(one.feed)
  useEffect(() => {
    // Sign in in tab 1 after both have mounted: tab 2 picks the session up from the channel.
    if (signIn && one.client.getSnapshot().status !== 'authenticated') {
      one.client.setSession(one.transport.signIn())
    }
  }, [one, signIn])
  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <div className="tabs-side-by-side">
        <TabFrame tab={one} />
        <TabFrame tab={two} />
      </div>
      <ActivityLog entries={entries} />
    </div>
  )
}

export const SharingOneSession: Story = { render: () => <TwoTabs signIn /> }

/** Both signed out: sign in in either tab and the other follows. */
export const SignedOut: Story = { render: () => <TwoTabs signIn={false} /> }
