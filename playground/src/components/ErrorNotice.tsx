import type { AuthError, AuthErrorKind } from 'react-cognito-refresh'
import { errorDetail } from '../format'

const whatHappens: Record<AuthErrorKind, string> = {
  retryable:
    'A temporary failure. The session is kept, the current access token stays in use while it is valid, and the refresh is retried with backoff.',
  terminal: 'Cognito rejected the refresh token. The session ended in every tab.',
  reuse:
    'The refresh token had been rotated away and no tab held its successor. The session ended in every tab.',
  fatal:
    'A configuration or request problem. The session is kept and the error is shown; the client does not retry in a loop.',
}

/** The last error of the snapshot: its code, what the client does about it, and the message. */
export function ErrorNotice({ error }: { error: AuthError }) {
  const tone = error.kind === 'retryable' ? 'warning' : 'danger'
  return (
    <div className={`notice notice-${tone}`} role="status" data-testid="error-notice">
      <div className="notice-title">
        <code>{error.code}</code>
        <span className="notice-kind">{error.kind}</span>
        {error.retryAfterMs !== undefined && (
          <span className="notice-kind">Retry-After {Math.round(error.retryAfterMs / 1000)} s</span>
        )}
      </div>
      <p>{whatHappens[error.kind]}</p>
      <p className="muted small">{errorDetail(error)}</p>
    </div>
  )
}
