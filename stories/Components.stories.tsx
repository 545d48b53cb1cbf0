import type { Meta, StoryObj } from '@storybook/react-vite'
import { ActivityLog } from '../playground/src/components/ActivityLog'
import { StatusBadges } from '../playground/src/components/StatusBadges'
import { labelFor } from '../playground/src/tab'

/** The small building blocks of the playground, with every value they can show. */
const meta = {
  title: 'Components',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

export const Badges: Story = {
  render: () => (
    <div style={{ display: 'grid', gap: 10 }}>
      <StatusBadges status="loading" refresh="idle" />
      <StatusBadges status="unauthenticated" refresh="idle" />
      <StatusBadges status="authenticated" refresh="idle" />
      <StatusBadges status="authenticated" refresh="refreshing" />
      <StatusBadges status="authenticated" refresh="retrying" />
    </div>
  ),
}

const t0 = Date.UTC(2026, 10, 21, 9, 30)
const one = labelFor(1)
const two = labelFor(2)

export const ActivityAcrossTabs: Story = {
  render: () => (
    <div style={{ maxWidth: 640 }}>
      <ActivityLog
        selfId={one.id}
        entries={[
          { id: '6', at: t0 + 95_000, tab: one, kind: 'signedOut', detail: 'reason: signOut' },
          {
            id: '5',
            at: t0 + 95_000,
            tab: two,
            kind: 'signedOut',
            detail: 'reason: signOut, in another tab',
          },
          {
            id: '4',
            at: t0 + 62_000,
            tab: one,
            kind: 'adopted',
            detail: 'version 3, from another tab',
          },
          {
            id: '3',
            at: t0 + 62_000,
            tab: two,
            kind: 'refreshed',
            detail: 'version 3, from Cognito',
          },
          {
            id: '2',
            at: t0 + 41_000,
            tab: one,
            kind: 'failed',
            detail: 'NetworkError, retrying in 1.7 s',
          },
          {
            id: '1',
            at: t0 + 30_000,
            tab: one,
            kind: 'refreshed',
            detail: 'version 2, from Cognito',
          },
          { id: '0', at: t0, tab: one, kind: 'signedIn', detail: 'with a password' },
        ]}
      />
    </div>
  ),
}
