// The sign-in entry as an app uses it beside the root: managed login's redirect, callback and
// sign-out. The client and its transport are the root's (measured in root-react); this row is
// what signing in adds.
import { managedLogin } from '../../src/sign-in/index'

declare const client: Parameters<typeof managedLogin>[0]

export const login = managedLogin(client, {
  clientId: 'example',
  domain: 'auth.example.com',
  redirectUri: 'https://app.example.com/callback',
  logoutUri: 'https://app.example.com/',
})
export const signIn = () => login.signInWithRedirect()
export const callback = () => login.handleRedirectCallback()
export const signOut = () => login.signOut()
