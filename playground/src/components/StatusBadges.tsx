import type { RefreshActivity, SessionStatus } from 'react-cognito-refresh'

const statusText: Record<SessionStatus, string> = {
  loading: 'Loading',
  authenticated: 'Authenticated',
  unauthenticated: 'Signed out',
}

const refreshText: Record<RefreshActivity, string> = {
  idle: 'Idle',
  refreshing: 'Refreshing',
  retrying: 'Retrying',
}

/** The snapshot's two axes as badges: the session, and what the refresh machinery is doing. */
export function StatusBadges({
  status,
  refresh,
}: {
  status: SessionStatus
  refresh: RefreshActivity
}) {
  return (
    <div className="badges" aria-live="polite">
      <span className={`badge badge-${status}`} data-testid="status-badge">
        <span className="dot" aria-hidden />
        {statusText[status]}
      </span>
      {status === 'authenticated' && (
        <span className={`badge badge-${refresh}`} data-testid="refresh-badge">
          {refresh !== 'idle' && <span className="spinner" aria-hidden />}
          {refreshText[refresh]}
        </span>
      )}
    </div>
  )
}
