// The package root as a React app uses it: AuthProvider, the hooks, createAuthFetch and the default
// transport (GetTokensFromRefreshToken), all used. React is external.
import {
  AuthProvider,
  cognitoTransport,
  createAuthClient,
  useAuth,
  useAuthFetch,
  useAuthState,
  useTokens,
} from '../../src/index'

const client = createAuthClient({
  clientId: 'example',
  transport: cognitoTransport({ region: 'us-east-1', clientId: 'example' }),
})

function Profile() {
  const auth = useAuth()
  const sub = useTokens((t) => t?.accessClaims.sub)
  const status = useAuthState((s) => s.status)
  const authFetch = useAuthFetch()
  void authFetch
  return `${status} ${String(sub)} ${String(auth.isAuthenticated)}`
}

export function App() {
  return (
    <AuthProvider client={client}>
      <Profile />
    </AuthProvider>
  )
}
