// A Server Component: the session verified on the server (the proxy refreshed it if it had to).
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import { auth } from '../../lib/auth'
import { SessionPanel } from './session-panel'

export const dynamic = 'force-dynamic'

export default async function Profile() {
  const session = await auth().getSession(await cookies())
  if (session.status === 'error') return <p id="unavailable">Cognito is out of reach; try again.</p>
  if (session.status !== 'signedIn') redirect('/api/auth/sign-in?returnTo=/profile')
  return (
    <main>
      <h1>Profile</h1>
      <p>
        Signed in on the server as <strong id="email">{session.idClaims?.email}</strong> (
        {session.claims.username}).
      </p>
      <SessionPanel clientId={session.claims.client_id} />
    </main>
  )
}
