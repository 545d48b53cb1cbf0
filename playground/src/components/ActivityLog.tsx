import type { ActivityEntry, ActivityKind } from '../activity'
import { plural } from '../format'

const kindText: Record<ActivityKind, string> = {
  refreshed: 'Refreshed',
  adopted: 'Adopted',
  failed: 'Failed',
  signedIn: 'Signed in',
  signedOut: 'Signed out',
}

/**
 * What every tab's client did, newest first: one tab refreshes from Cognito, the others adopt its
 * tokens. `self` marks this tab's entries.
 */
export function ActivityLog({
  entries,
  selfId,
  signedIn = false,
}: {
  entries: readonly ActivityEntry[]
  selfId?: string
  /** This tab is signed in: an empty log then means nothing happened since it opened. */
  signedIn?: boolean
}) {
  return (
    <section className="card" aria-label="Activity across tabs">
      <header className="card-head">
        <h2 className="card-title">Activity across tabs</h2>
        <span className="muted small">{plural(entries.length, 'event')}</span>
      </header>
      {entries.length === 0 ? (
        <p className="empty" data-testid="activity-empty">
          {signedIn
            ? 'Nothing yet since this tab opened. The next refresh shows here: one tab refreshes, the others adopt.'
            : 'Nothing yet. Sign in, then open another tab: one tab refreshes, the others adopt.'}
        </p>
      ) : (
        <ol className="log" data-testid="activity-log">
          {entries.map((entry) => (
            <li key={entry.id} className={`log-entry log-${entry.kind}`}>
              <time className="log-time">{new Date(entry.at).toLocaleTimeString()}</time>
              <span
                className="tab-chip"
                style={{ ['--hue' as string]: entry.tab.hue }}
                title={entry.tab.id === selfId ? 'this tab' : 'another tab'}
              >
                {entry.tab.name}
                {entry.tab.id === selfId ? ' (this)' : ''}
              </span>
              <span className={`log-kind kind-${entry.kind}`}>{kindText[entry.kind]}</span>
              <span className="log-detail">{entry.detail}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
