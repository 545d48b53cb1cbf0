import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AuthProvider, cognitoTransport, createAuthClient } from 'react-cognito-refresh'
import { broadcastChannel } from 'react-cognito-refresh/core'
import { AuthQueryBridge } from 'react-cognito-refresh/query'
import { managedLogin } from 'react-cognito-refresh/sign-in'
import { createActivityFeed } from './activity'
import { App } from './App'
import { resolveConfig } from './config'
import { currentTab } from './tab'
import './styles.css'

const config = resolveConfig(window.location.search)
const tab = currentTab()
document.title = `${tab.name} · react-cognito-refresh playground`

const client = createAuthClient({
  clientId: config.clientId,
  transport: cognitoTransport({
    clientId: config.clientId,
    endpoint: config.endpoint,
    ...(config.region !== undefined && { region: config.region }),
  }),
  // The emulator's demo tokens live seconds to a minute so refreshes are visible; the floor under
  // odd lifetimes (meant for pools that misbehave) would hold them back. A real pool's 5 minutes
  // and more are above it either way.
  minRefreshIntervalMs: 1_000,
})
// Managed login on the emulator's sign-in page; its demo clients allow this page as callback and
// sign-out URL (http://127.0.0.1:5173/ and http://localhost:5173/).
const login =
  config.emulatorUrl === undefined
    ? undefined
    : managedLogin(client, {
        clientId: config.clientId,
        domain: config.emulatorUrl,
        redirectUri: `${window.location.origin}/`,
        logoutUri: `${window.location.origin}/`,
        scopes: ['openid', 'email'],
      })
const feed = createActivityFeed(tab, broadcastChannel('rcr-playground.activity'))
feed.record(client)

const queryClient = new QueryClient()

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root')
createRoot(root).render(
  <StrictMode>
    <AuthProvider client={client}>
      <QueryClientProvider client={queryClient}>
        {/* Removes a user's cached queries when the session ends or the user changes, in any tab. */}
        <AuthQueryBridge />
        <App config={config} tab={tab} feed={feed} login={login} />
      </QueryClientProvider>
    </AuthProvider>
  </StrictMode>,
)
