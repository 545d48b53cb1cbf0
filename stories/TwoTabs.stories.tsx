import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { AuthProvider } from 'react-cognito-refresh'
import { ActivityLog } from '../playground/src/components/ActivityLog'
import { useActivity } from '../playground/src/useActivity'
import { createCallLog, type CallLog } from './fakes/callLog'
import { CognitoCalls } from './fakes/CognitoCalls'
import { createChannelHub, createLockManager, createSharedEnvironment } from './fakes/environment'
import { quietly, SessionView } from './fakes/StoryShell'
import { createStoryTab, type StoryTab } from './fakes/storyTab'
import { createStoryTransport, type StoryTransport } from './fakes/transport'

/**
 * Two tabs of one origin, side by side: two clients sharing one in-memory channel hub, lock and
 * storage, and one fake Cognito that rotates refresh tokens. Tokens live 8 seconds, so every few
 * seconds one tab refreshes and the other adopts its tokens; the log shows who did what, and the
 * Cognito panel every call the fake server received.
 */
const meta = {
  title: 'Cross-tab/Two tabs',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

interface TwoTabsSetup {
  /** Token lifetime in seconds. @default 8 */
  expiresIn?: number
  /** Each tab its own lock, as when Web Locks are missing or time out. @default false */
  separateLocks?: boolean
  /** Extra delay of each tab's refresh calls, in ms. @default [0, 0] */
  delays?: [number, number]
}

interface Tabs {
  one: StoryTab
  two: StoryTab
  cognito: StoryTransport
  calls: CallLog
}

function useTwoTabs(setup: TwoTabsSetup): Tabs {
  const [tabs] = useState(() => {
    const env = createSharedEnvironment()
    const cognito = createStoryTransport({ expiresIn: setup.expiresIn ?? 8, rotate: true })
    const calls = createCallLog()
    const activity = createChannelHub()
    const make = (n: 1 | 2) =>
      createStoryTab({
        n,
        env,
        transport: calls.tap(cognito, `Tab ${n}`, setup.delays?.[n - 1] ?? 0),
        activityChannel: activity.channel(),
        ...(setup.separateLocks && { client: { environment: { lock: createLockManager() } } }),
      })
    return { one: make(1), two: make(2), cognito, calls }
  })
  useEffect(() => () => [tabs.one, tabs.two].forEach((tab) => tab.dispose()), [tabs])
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

/** Tab 2's side of the race, in one sentence: what Cognito said, and what became of the session. */
function RaceOutcome({ tab, calls }: { tab: StoryTab; calls: CallLog }) {
  const records = useSyncExternalStore(calls.subscribe, calls.getSnapshot, calls.getSnapshot)
  const snapshot = useSyncExternalStore(tab.client.subscribe, tab.client.getSnapshot)
  const lost = records.some((r) => r.tab === tab.label.name && r.outcome !== 'tokens')
  const text = !lost
    ? `${tab.label.name} has not lost a race yet.`
    : snapshot.status === 'authenticated'
      ? `${tab.label.name} recovered the successor (version ${snapshot.tokens?.version ?? '?'}) after RefreshTokenReuseException: no sign-out.`
      : `${tab.label.name} signed out (${snapshot.status}).`
  return (
    <p className="notice notice-info" data-testid="race-outcome">
      {text}
    </p>
  )
}

function TwoTabs({
  signIn,
  setup = {},
  scenario,
  note,
  race = false,
}: {
  signIn: boolean
  setup?: TwoTabsSetup
  /** Runs once, after tab 2 holds the session tab 1 signed in with. */
  scenario?: (tabs: Tabs) => void
  note?: ReactNode
  /** Shows tab 2's side of a refresh race under the tabs. */
  race?: boolean
}) {
  const tabs = useTwoTabs(setup)
  const { one, two } = tabs
  const entries = useActivity(one.feed)
  const ran = useRef(false)
  useEffect(() => {
    // Sign in in tab 1 after both have mounted: tab 2 picks the session up from the channel.
    if (signIn && one.client.getSnapshot().status !== 'authenticated') {
      one.client.setSession(one.transport.signIn())
    }
    if (scenario === undefined || ran.current) return
    ran.current = true
    const started = Date.now()
    const id = setInterval(() => {
      const shared = two.client.getSnapshot().status === 'authenticated'
      if (!shared && Date.now() - started < 3_000) return
      clearInterval(id)
      scenario(tabs)
    }, 20)
    return () => clearInterval(id)
  }, [one, two, tabs, signIn, scenario])
  return (
    <div style={{ display: 'grid', gap: 16 }}>
      {note !== undefined && <p className="lede">{note}</p>}
      <div className="tabs-side-by-side">
        <TabFrame tab={one} />
        <TabFrame tab={two} />
      </div>
      {race && <RaceOutcome tab={two} calls={tabs.calls} />}
      <div className="tabs-side-by-side" style={{ alignItems: 'start' }}>
        <ActivityLog entries={entries} signedIn={signIn} />
        <CognitoCalls log={tabs.calls} />
      </div>
    </div>
  )
}

export const SharingOneSession: Story = { render: () => <TwoTabs signIn /> }

/** Both signed out: sign in in either tab and the other follows. */
export const SignedOut: Story = { render: () => <TwoTabs signIn={false} /> }

/**
 * Reuse recovered. Without a shared lock both tabs refresh the same refresh token at once. Tab 1's
 * call arrives first and rotates it; tab 2's call arrives second and Cognito answers
 * RefreshTokenReuseException. Tab 2 does not sign out: it looks in shared storage first, finds
 * the successor tab 1 wrote, and carries on with it.
 */
export const ReuseRecovered: Story = {
  render: () => (
    <TwoTabs
      signIn
      race
      setup={{ expiresIn: 3600, separateLocks: true, delays: [0, 700] }}
      note="Both tabs refresh the same refresh token at once (no shared lock). Tab 2 loses the race, gets RefreshTokenReuseException, and picks up the successor tab 1 stored: both stay signed in."
      scenario={({ one, two }) => {
        quietly(one.client.refresh({ force: true }))
        quietly(two.client.refresh({ force: true }))
      }}
    />
  ),
}

/**
 * Two tabs during a failure: Cognito answers InternalErrorException to every refresh. Both tabs
 * keep the session and their still-valid access token and show the retry; the Cognito panel
 * counts the calls the outage cost.
 */
export const DuringAFailure: Story = {
  render: () => (
    <TwoTabs
      signIn
      setup={{ expiresIn: 3600 }}
      note="Cognito fails every refresh (InternalErrorException). Both tabs need a refresh now; both stay signed in and retry on the backoff, and no tab signs out."
      scenario={({ one, two, cognito }) => {
        cognito.failAlways('InternalErrorException', 'Internal server error.', { status: 500 })
        quietly(one.client.refresh({ force: true }))
        quietly(two.client.refresh({ force: true }))
      }}
    />
  ),
}
