import { useSyncExternalStore } from 'react'
import { plural } from '../../playground/src/format'
import type { CallLog } from './callLog'

/** The fake Cognito's side of a story: every refresh call, which tab made it, and the answer. */
export function CognitoCalls({ log, note }: { log: CallLog; note?: string }) {
  const calls = useSyncExternalStore(log.subscribe, log.getSnapshot, log.getSnapshot)
  return (
    <section className="card" aria-label="Calls to Cognito">
      <header className="card-head">
        <h2 className="card-title">Calls to Cognito</h2>
        <span className="muted small" data-testid="cognito-calls">
          {plural(calls.length, 'refresh call')}
        </span>
      </header>
      {note !== undefined && <p className="muted small">{note}</p>}
      {calls.length === 0 ? (
        <p className="empty">No refresh call yet.</p>
      ) : (
        <ol className="log">
          {calls.map((call) => (
            <li
              key={call.id}
              className="log-entry"
              style={{ gridTemplateColumns: 'auto minmax(0, 1fr)' }}
            >
              <span className="log-time">#{call.id}</span>
              <span className="log-detail">
                {call.tab} → {call.outcome === 'tokens' ? 'new tokens' : call.outcome}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
