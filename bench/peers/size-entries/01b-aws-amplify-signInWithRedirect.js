// aws-amplify v6: 01-aws-amplify plus managed login (signInWithRedirect, the callback's listener
// and signOut). Its difference to 01-aws-amplify is what signing in adds.
import { Amplify } from 'aws-amplify'
import { fetchAuthSession, signInWithRedirect, signOut } from 'aws-amplify/auth'
import 'aws-amplify/auth/enable-oauth-listener'

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: 'us-east-1_EXAMPLE',
      userPoolClientId: 'exampleclientid',
      loginWith: {
        oauth: {
          domain: 'auth.example.com',
          scopes: ['openid'],
          redirectSignIn: ['https://app.example.com/callback'],
          redirectSignOut: ['https://app.example.com/'],
          responseType: 'code',
        },
      },
    },
  },
})

export async function getFreshTokens() {
  const session = await fetchAuthSession({ forceRefresh: true })
  return session.tokens
}
export const signIn = () => signInWithRedirect()
export const end = () => signOut({ global: false })
