import type { TokenSet } from 'react-cognito-refresh'
// The playground shows the library's own schedule: same repository, internal module on purpose.
import { jitterSpanMs, leadTimeMs } from '../../../src/core/schedule'
import { useNow } from '../useNow'

function seconds(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s >= 120) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
  return `${s.toFixed(s < 10 ? 1 : 0)} s`
}

/**
 * The access token's life as a bar: elapsed, the window in which this tab will refresh (the lead
 * time minus its random jitter), and live countdowns to that window and to expiry.
 */
export function TokenTimeline({ tokens }: { tokens: TokenSet }) {
  const now = useNow()
  const lifetime = Math.max(1, tokens.expiresAt - tokens.receivedAt)
  const lead = leadTimeMs(lifetime)
  const latest = tokens.expiresAt - lead
  const earliest = latest - jitterSpanMs(lifetime)
  const pct = (at: number) =>
    `${Math.min(100, Math.max(0, ((at - tokens.receivedAt) / lifetime) * 100))}%`
  const dueIn = earliest - now
  return (
    <div className="timeline" data-testid="token-timeline">
      <div className="timeline-figures">
        <div>
          <div className="figure-label">Next refresh</div>
          <div className="figure" data-testid="refresh-countdown">
            {dueIn > 0 ? `in ${seconds(dueIn)}` : latest > now ? 'due now' : 'overdue'}
          </div>
        </div>
        <div>
          <div className="figure-label">Access token expires</div>
          <div className="figure">
            {tokens.expiresAt > now ? `in ${seconds(tokens.expiresAt - now)}` : 'expired'}
          </div>
        </div>
        <div>
          <div className="figure-label">Lifetime</div>
          <div className="figure">{seconds(lifetime)}</div>
        </div>
      </div>
      <div className="bar" role="img" aria-label="Access token lifetime">
        <div className="bar-elapsed" style={{ width: pct(now) }} />
        <div
          className="bar-window"
          style={{ left: pct(earliest), width: `calc(${pct(latest)} - ${pct(earliest)})` }}
          title="This tab refreshes in this window"
        />
      </div>
      <div className="bar-legend">
        <span>issued</span>
        <span>refresh window</span>
        <span>expiry</span>
      </div>
    </div>
  )
}
