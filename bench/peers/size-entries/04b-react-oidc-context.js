// react-oidc-context: AuthProvider + useAuth (pulls oidc-client-ts)
import { createElement } from 'react'
import { AuthProvider, useAuth } from 'react-oidc-context'

function Token() {
  const auth = useAuth()
  return auth.user ? auth.user.access_token : null
}

export function App() {
  return createElement(
    AuthProvider,
    {
      authority: 'https://idp.example.com',
      client_id: 'example',
      redirect_uri: 'https://app.example.com/cb',
      automaticSilentRenew: true,
    },
    createElement(Token),
  )
}
