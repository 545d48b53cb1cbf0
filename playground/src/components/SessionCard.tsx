import { useState } from 'react'
import { useAuth, useTokens } from 'react-cognito-refresh'
import { ClaimsTable } from './ClaimsTable'
import { ErrorNotice } from './ErrorNotice'
import { StatusBadges } from './StatusBadges'
import { TokenFingerprints } from './TokenFingerprints'
import { TokenTimeline } from './TokenTimeline'

/**
 * The signed-in session: who, its state, the countdown to the next refresh, the claims, and the
 * actions. Shows nothing of the tokens but claims and fingerprints.
 */
export function SessionCard({ compact = false }: { compact?: boolean }) {
  const auth = useAuth()
  const tokens = useTokens()
  const [busy, setBusy] = useState(false)
  const claims = auth.claims
  const name =
    (typeof claims?.name === 'string' && claims.name) ||
    (typeof claims?.email === 'string' && claims.email) ||
    auth.userId ||
    'Signed in'
  const run = (action: () => Promise<unknown>) => {
    setBusy(true)
    // Failures show in the snapshot's error and the activity log; nothing to add here.
    action()
      .catch(() => undefined)
      .finally(() => setBusy(false))
  }
  return (
    <section className="card" aria-label="Session">
      <header className="card-head">
        <div className="identity">
          <div className="avatar" aria-hidden>
            {String(name).slice(0, 1).toUpperCase()}
          </div>
          <div>
            <h2 className="card-title" data-testid="user-name">
              {name}
            </h2>
            {typeof claims?.email === 'string' && claims.email !== name && (
              <div className="muted small">{claims.email}</div>
            )}
          </div>
        </div>
        <StatusBadges status={auth.status} refresh={auth.refreshStatus} />
      </header>
      {auth.error !== null && <ErrorNotice error={auth.error} />}
      {tokens !== null && <TokenTimeline tokens={tokens} refresh={auth.refreshStatus} />}
      {tokens !== null && !compact && <ClaimsTable tokens={tokens} />}
      {tokens !== null && compact && <TokenFingerprints tokens={tokens} />}
      <div className="actions">
        <button
          className="button"
          disabled={busy || auth.status !== 'authenticated'}
          onClick={() => run(() => auth.refresh({ force: true }))}
        >
          Refresh now
        </button>
        <button
          className="button button-quiet"
          disabled={auth.status !== 'authenticated'}
          onClick={() => run(() => auth.signOut())}
        >
          Sign out
        </button>
      </div>
    </section>
  )
}
