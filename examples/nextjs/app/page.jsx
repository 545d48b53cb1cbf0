import { cookies } from 'next/headers'
import { auth } from '../lib/auth'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const session = await auth().getSession(await cookies())
  return (
    <main>
      <h1>react-cognito-refresh on Next.js</h1>
      {session.status === 'signedIn' ? (
        <p>
          Signed in as {session.idClaims?.email}. <a href="/profile">Your profile</a>
        </p>
      ) : (
        <a id="sign-in" href="/api/auth/sign-in?returnTo=/profile">
          Sign in
        </a>
      )}
    </main>
  )
}
