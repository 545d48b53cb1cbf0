import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryPanel } from '../playground/src/components/QueryPanel'
import { fakeApiUrl } from './fakes/api'
import { SessionView, StoryShell, type StoryShellProps } from './fakes/StoryShell'

/**
 * The query entry (`useAuthQuery`, `<AuthQueryBridge />`) over the auth fetch: the query key holds
 * the user, the query runs only while signed in, and signing out removes the user's cached data.
 */
const meta = {
  title: 'Hooks/TanStack Query',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const withQuery = (props: Omit<StoryShellProps, 'children'>): Story => ({
  render: () => (
    <StoryShell {...props}>
      {(tab) => (
        <div style={{ display: 'grid', gap: 16, maxWidth: 720 }}>
          <SessionView tab={tab} compact />
          <QueryPanel url={fakeApiUrl} fetch={tab.api.fetch} />
        </div>
      )}
    </StoryShell>
  ),
})

export const ProfileQuery = withQuery({ options: { signedIn: true } })

/** The profile loads, then the user signs out: the query is disabled and its cache removed. */
export const SignOutClearsTheCache = withQuery({
  options: { signedIn: true },
  scenario: async ({ client, queryClient }) => {
    const cached = () =>
      queryClient
        .getQueryCache()
        .findAll({ queryKey: ['profile'] })
        .some((q) => q.state.data !== undefined)
    // Sign out once the profile is in the cache (or after 3 s), so the story shows it removed.
    for (let waited = 0; waited < 3_000 && !cached(); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await client.signOut()
  },
})
