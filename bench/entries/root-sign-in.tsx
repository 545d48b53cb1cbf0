// The root entry's app (root-react) plus managed login from the sign-in entry: the difference to
// root-react is what signing in adds to an app's bundle.
import { managedLogin } from '../../src/sign-in/index'
import { App } from './root-react'

const client = { signOut: async () => undefined } as unknown as Parameters<typeof managedLogin>[0]
const login = managedLogin(client, {
  clientId: 'example',
  domain: 'auth.example.com',
  redirectUri: 'https://app.example.com/callback',
  logoutUri: 'https://app.example.com/',
})
export const signIn = () => login.signInWithRedirect()
export const callback = () => login.handleRedirectCallback()
export const signOut = () => login.signOut()
export { App }
