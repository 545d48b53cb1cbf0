// aws-amplify v6: configure + fetchAuthSession({ forceRefresh: true })
import { Amplify } from 'aws-amplify'
import { fetchAuthSession } from 'aws-amplify/auth'

Amplify.configure({
  Auth: { Cognito: { userPoolId: 'us-east-1_EXAMPLE', userPoolClientId: 'exampleclientid' } },
})

export async function getFreshTokens() {
  const session = await fetchAuthSession({ forceRefresh: true })
  return session.tokens
}
