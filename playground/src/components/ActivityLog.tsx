import type { ActivityEntry, ActivityKind } from '../activity'

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
}: {
  entries: readonly ActivityEntry[]
  selfId?: string
}) {
  return (
    <section className="card" aria-label="Activity across tabs">
      <header className="card-head">
        <h2 className="card-title">Activity across tabs</h2>
        <span className="muted small">{entries.length} events</span>
      </header>
      {entries.length === 0 ? (
        <p className="empty">
          Nothing yet. Sign in, then open another tab: one tab refreshes, the others adopt.
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
