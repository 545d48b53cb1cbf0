'use client'
// Client components: our browser client on the server's routes. The refresh token never reaches
// this page; the client refreshes through /api/auth/refresh, once for all tabs.
import { useEffect, useState } from 'react'
import {
  AuthProvider,
  createAuthClient,
  useAuth,
  useAuthFetch,
  useTokens,
} from 'react-cognito-refresh'
import { backendSession, backendTransport } from 'react-cognito-refresh/transports'

const headers = { 'x-requested-with': 'fetch' }
let shared

function clientFor(clientId) {
  shared ??= createAuthClient({
    clientId,
    storage: 'memory', // nothing of the session on disk; open tabs share it by message
    transport: backendTransport({
      url: '/api/auth/refresh',
      revokeUrl: '/api/auth/sign-out',
      headers,
    }),
  })
  return shared
}

function Tokens() {
  const { status, signOut } = useAuth()
  const expiresAt = useTokens((tokens) => tokens?.expiresAt)
  const authFetch = useAuthFetch()
  const [api, setApi] = useState('')
  return (
    <section>
      <p id="client-status">client: {status}</p>
      {expiresAt !== undefined && (
        <p id="expires">access token until {new Date(expiresAt).toISOString()}</p>
      )}
      <button
        id="call-api"
        onClick={async () => setApi(String((await authFetch('/api/hello')).status))}
      >
        Call an API with the access token
      </button>
      {api !== '' && <p id="api">API answered {api}</p>}
      <button
        id="sign-out"
        onClick={async () => {
          await signOut()
          window.location.assign('/')
        }}
      >
        Sign out
      </button>
    </section>
  )
}

export function SessionPanel({ clientId }) {
  const client = clientFor(clientId)
  useEffect(() => {
    // The tokens for the cookies: from the token cookies while fresh, no call to Cognito.
    if (client.getSnapshot().status === 'authenticated') return
    void fetch('/api/auth/session', { method: 'POST', headers }).then(async (reply) => {
      if (reply.ok) client.setSession(backendSession(await reply.json()))
    })
  }, [client])
  return (
    <AuthProvider client={client}>
      <Tokens />
    </AuthProvider>
  )
}
