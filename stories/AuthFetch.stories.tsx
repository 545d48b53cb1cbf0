import type { Meta, StoryObj } from '@storybook/react-vite'
import { ApiPanel } from '../playground/src/components/ApiPanel'
import { fakeApiUrl } from './fakes/api'
import { SessionView, StoryShell, type StoryShellProps } from './fakes/StoryShell'

/**
 * `useAuthFetch()` against a fake protected API: it waits for a valid token, sends it as a Bearer
 * header, and retries a 401 once after a refresh. The play function presses the button.
 */
const meta = {
  title: 'Hooks/useAuthFetch',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const withApi = (props: Omit<StoryShellProps, 'children'>): Story => ({
  render: () => (
    <StoryShell {...props}>
      {(tab) => (
        <div style={{ display: 'grid', gap: 16, maxWidth: 720 }}>
          <SessionView tab={tab} compact />
          <ApiPanel url={fakeApiUrl} fetch={tab.api.fetch} />
        </div>
      )}
    </StoryShell>
  ),
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Call the API' }))
  },
})

export const CallsTheApi = withApi({ options: { signedIn: true } })

/** The API answers 401 once: useAuthFetch refreshes (version 2) and retries, and gets 200. */
export const RetriesA401Once = withApi({
  options: { signedIn: true },
  scenario: ({ api }) => api.rejectNext(1),
})

/** Without a session nothing is sent: the call rejects with NoSession. */
export const WithoutASession = withApi({})
