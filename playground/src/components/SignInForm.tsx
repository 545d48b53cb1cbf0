import { type FormEvent, useEffect, useState } from 'react'
import {
  type AuthenticationResult,
  isAuthError,
  type SignOutReason,
  useAuth,
} from 'react-cognito-refresh'
import { type ManagedLogin, signInWithPopup } from 'react-cognito-refresh/sign-in'
import { errorDetail } from '../format'
import { ErrorNotice } from './ErrorNotice'
import { StatusBadges } from './StatusBadges'

const reasonText: Record<SignOutReason, string> = {
  signOut: 'You signed out (here or in another tab).',
  rejected: 'Cognito rejected the refresh token, so the session ended.',
  reuse: 'The refresh token had already been rotated and no tab held the new one.',
  expired: "The session reached the end of its refresh token's validity.",
  noSession: 'Nobody is signed in.',
}

export interface SignInFormProps {
  /** Exchanges the credentials for tokens (InitiateAuth USER_PASSWORD_AUTH in the playground). */
  signIn: (username: string, password: string) => Promise<AuthenticationResult>
  /** Public demo credentials to offer (the emulator's demo user). */
  demoUser?: { username: string; password: string } | undefined
  /** Managed login (the emulator's sign-in page), when available. */
  managedLogin?: ManagedLogin | undefined
}

/** Signs in with a username and password, then hands the result to the library. */
export function SignInForm({ signIn, demoUser, managedLogin }: SignInFormProps) {
  const auth = useAuth()
  const [username, setUsername] = useState(demoUser?.username ?? '')
  const [password, setPassword] = useState('')
  const [pending, setPending] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  // Back from managed login: managedLogin() completed the callback as the page loaded; show its
  // outcome (StrictMode's second effect gets the same one).
  useEffect(() => {
    managedLogin?.handleRedirectCallback().then(undefined, (error: unknown) => {
      setFailure(isAuthError(error) ? error.message : 'The managed-login callback failed.')
    })
  }, [managedLogin])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setFailure(null)
    try {
      auth.setSession(await signIn(username, password))
    } catch (error) {
      setFailure(error instanceof Error ? error.message : 'The sign-in failed.')
    } finally {
      setPending(false)
    }
  }

  return (
    <section className="card signin" aria-label="Sign in">
      <header className="card-head">
        <h2 className="card-title">Sign in</h2>
        <StatusBadges status={auth.status} refresh={auth.refreshStatus} />
      </header>
      {auth.signOutReason !== null && auth.signOutReason !== 'noSession' ? (
        <div
          className={`notice ${auth.signOutReason === 'signOut' ? 'notice-info' : 'notice-danger'}`}
          data-testid="signout-reason"
        >
          <div className="notice-title">
            Signed out <span className="notice-kind">{auth.signOutReason}</span>
          </div>
          <p>{reasonText[auth.signOutReason]}</p>
          {auth.error !== null && (
            <p className="small">
              <code>{auth.error.code}</code>: {errorDetail(auth.error)}
            </p>
          )}
        </div>
      ) : (
        auth.error !== null && <ErrorNotice error={auth.error} />
      )}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          <span>Username</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {failure !== null && (
          <p className="form-error" role="alert">
            {failure}
          </p>
        )}
        <div className="actions">
          <button className="button" type="submit" disabled={pending || auth.status === 'loading'}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
          {managedLogin !== undefined && (
            <button
              className="button button-quiet"
              type="button"
              data-testid="managed-login"
              onClick={() => void managedLogin.signInWithRedirect({ returnTo: '/' })}
            >
              Sign in with managed login
            </button>
          )}
          {managedLogin !== undefined && (
            <button
              className="button button-quiet"
              type="button"
              data-testid="managed-login-popup"
              onClick={() => {
                setFailure(null)
                signInWithPopup(managedLogin).then(undefined, (error: unknown) => {
                  setFailure(isAuthError(error) ? error.message : 'The popup sign-in failed.')
                })
              }}
            >
              In a popup
            </button>
          )}
          {demoUser !== undefined && (
            <button
              className="button button-quiet"
              type="button"
              onClick={() => {
                setUsername(demoUser.username)
                setPassword(demoUser.password)
              }}
            >
              Use the demo user
            </button>
          )}
        </div>
        {demoUser !== undefined && (
          <p className="muted small">
            Emulator demo user: <code>{demoUser.username}</code> / <code>{demoUser.password}</code>
          </p>
        )}
      </form>
    </section>
  )
}
