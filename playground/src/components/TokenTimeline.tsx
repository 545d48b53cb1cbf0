import { type RefreshActivity, type TokenSet } from 'react-cognito-refresh'
// The playground shows the library's own schedule: same repository, internal module on purpose.
import { jitterSpanMs, leadTimeMs } from '../../../src/core/refresh/schedule'
import { formatDuration as seconds, nextRefreshText } from '../format'
import { useNow } from '../useNow'
import { useRetryAt } from '../useRetryAt'

/**
 * The access token's life as a bar: elapsed, the window in which this tab will refresh (the lead
 * time minus its random jitter), and live countdowns to that window and to expiry.
 */
export function TokenTimeline({
  tokens,
  refresh = 'idle',
}: {
  tokens: TokenSet
  /** The snapshot's refresh activity: while retrying, the countdown is to the retry. */
  refresh?: RefreshActivity
}) {
  const now = useNow()
  const retryAt = useRetryAt()
  const lifetime = Math.max(1, tokens.expiresAt - tokens.receivedAt)
  const lead = leadTimeMs(lifetime)
  const latest = tokens.expiresAt - lead
  const earliest = latest - jitterSpanMs(lifetime)
  const pct = (at: number) =>
    `${Math.min(100, Math.max(0, ((at - tokens.receivedAt) / lifetime) * 100))}%`
  return (
    <div className="timeline" data-testid="token-timeline">
      <div className="timeline-figures">
        <div>
          <div className="figure-label">Next refresh</div>
          <div
            className={`figure${refresh === 'retrying' ? ' figure-warning' : ''}`}
            data-testid="refresh-countdown"
          >
            {nextRefreshText({ now, refresh, retryAt, earliest, latest })}
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
