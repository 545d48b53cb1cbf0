// The benchmark page for Amplify v6, pointed at the emulator with `userPoolEndpoint`: each tab
// calls fetchAuthSession() every ~200 ms, as the Amplify docs suggest before each request.
import { Amplify } from 'aws-amplify'
import { fetchAuthSession, signIn } from 'aws-amplify/auth'

const q = new URLSearchParams(location.search)
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: q.get('pool') ?? '',
      userPoolClientId: q.get('clientId') ?? '',
      userPoolEndpoint: q.get('endpoint') ?? '',
    },
  },
})
const pollMs = Number(q.get('poll') ?? '200')
const counts = {
  sessions: 0,
  withoutTokens: 0,
  errors: 0,
  errorNames: {} as Record<string, number>,
}

setInterval(async () => {
  try {
    const session = await fetchAuthSession()
    if (session.tokens?.accessToken) counts.sessions++
    else counts.withoutTokens++
  } catch (error) {
    counts.errors++
    const name = error instanceof Error ? error.name : 'unknown'
    counts.errorNames[name] = (counts.errorNames[name] ?? 0) + 1
  }
}, pollMs)

declare global {
  interface Window {
    bench: {
      signIn(username: string, password: string): Promise<string>
      counts(): typeof counts
    }
  }
}
window.bench = {
  async signIn(username, password) {
    const out = await signIn({
      username,
      password,
      options: { authFlowType: 'USER_PASSWORD_AUTH' },
    })
    return out.nextStep.signInStep
  },
  counts: () => counts,
}
