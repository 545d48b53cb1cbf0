// aws-amplify v6: 01-aws-amplify plus headless sign-in (signIn and confirmSignIn, which answer
// every challenge). Its difference to 01-aws-amplify is what a sign-in form of the app's own adds.
import { Amplify } from 'aws-amplify'
import { confirmSignIn, fetchAuthSession, signIn } from 'aws-amplify/auth'

Amplify.configure({
  Auth: { Cognito: { userPoolId: 'us-east-1_EXAMPLE', userPoolClientId: 'exampleclientid' } },
})

export async function getFreshTokens() {
  const session = await fetchAuthSession({ forceRefresh: true })
  return session.tokens
}
export const start = (username, password) => signIn({ username, password })
export const answer = (challengeResponse) => confirmSignIn({ challengeResponse })
