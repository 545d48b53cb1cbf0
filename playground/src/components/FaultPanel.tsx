import { useCallback, useEffect, useState } from 'react'
import {
  type EmulatorControl,
  type FaultState,
  type ServerStats,
  refreshCount,
} from '../emulatorControl'
import { LostReplyControl, type LostReplyControlProps } from './LostReplyControl'

interface Toggle {
  label: string
  hint: string
  isOn: (f: FaultState) => boolean
  on: Record<string, unknown>
  off: Record<string, unknown>
}

const toggles: Toggle[] = [
  {
    label: 'Offline',
    hint: 'Connections to Cognito are dropped: NetworkError, retried with backoff',
    isOn: (f) => f.dropRate > 0,
    on: { dropRate: 1 },
    off: { dropRate: 0 },
  },
  {
    label: 'Outage 30 s',
    hint: 'InternalErrorException (5xx) for 30 seconds',
    isOn: (f) => f.outage !== null && f.outage.until > Date.now(),
    on: {
      outage: { durationMs: 30_000, fault: { kind: 'error', code: 'InternalErrorException' } },
    },
    off: { outage: null },
  },
  {
    label: 'Throttling',
    hint: 'TooManyRequestsException with Retry-After: 5',
    isOn: (f) => f.throttleRate > 0,
    on: { throttleRate: 1, retryAfterSeconds: 5 },
    off: { throttleRate: 0 },
  },
  {
    label: 'Proxy 502',
    hint: "A load balancer's HTML error page instead of Cognito's JSON",
    isOn: (f) => f.htmlRate > 0,
    on: { htmlRate: 1 },
    off: { htmlRate: 0 },
  },
  {
    label: 'Latency 2 s',
    hint: 'Every refresh answers after two seconds',
    isOn: (f) => f.latencyMs !== 0,
    on: { latencyMs: 2_000 },
    off: { latencyMs: 0 },
  },
]

const oneShots = [
  {
    label: 'Next refresh: token reuse',
    hint: 'RefreshTokenReuseException, as when a rotated token is replayed',
    fault: { kind: 'error', code: 'RefreshTokenReuseException' },
  },
  {
    label: 'Next refresh: rejected',
    hint: 'NotAuthorizedException: the refresh token was revoked',
    fault: { kind: 'error', code: 'NotAuthorizedException' },
  },
]

/** Drives the emulator's fault injection; the faults apply to refreshes only, not to sign-in. */
export function FaultPanel({
  control,
  rotation,
}: {
  control: EmulatorControl
  rotation?: LostReplyControlProps['rotation']
}) {
  const [faults, setFaults] = useState<FaultState | null>(null)
  const [stats, setStats] = useState<ServerStats | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const apply = useCallback(
    (change: Promise<FaultState>) =>
      change.then(
        (next) => {
          setFaults(next)
          setProblem(null)
        },
        (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
      ),
    [],
  )

  useEffect(() => {
    let live = true
    const poll = () => {
      Promise.all([control.faults(), control.stats()]).then(
        ([f, s]) => {
          if (!live) return
          setFaults(f)
          setStats(s)
          setProblem(null)
        },
        () => live && setProblem('The emulator does not answer.'),
      )
    }
    poll()
    const id = setInterval(poll, 2_000)
    return () => {
      live = false
      clearInterval(id)
    }
  }, [control])

  const queued = faults?.queue.length ?? 0
  return (
    <section className="card" aria-label="Emulator faults">
      <header className="card-head">
        <div>
          <h2 className="card-title">Emulator faults</h2>
          <div className="muted small">Applied to refresh calls; sign-in keeps working</div>
        </div>
        <button className="button button-quiet" onClick={() => void apply(control.clearFaults())}>
          Clear all
        </button>
      </header>
      <div className="toggles">
        {toggles.map((t) => {
          const on = faults !== null && t.isOn(faults)
          return (
            <button
              key={t.label}
              className={`toggle${on ? ' toggle-on' : ''}`}
              aria-pressed={on}
              title={t.hint}
              onClick={() => void apply(control.setFaults(on ? t.off : t.on))}
            >
              <span className="toggle-label">{t.label}</span>
              <span className="toggle-hint">{t.hint}</span>
            </button>
          )
        })}
        {oneShots.map((s) => (
          <button
            key={s.label}
            className="toggle toggle-once"
            title={s.hint}
            onClick={() => void apply(control.setFaults({ failNext: [s.fault] }))}
          >
            <span className="toggle-label">{s.label}</span>
            <span className="toggle-hint">{s.hint}</span>
          </button>
        ))}
        <LostReplyControl control={control} rotation={rotation} onQueued={setFaults} />
      </div>
      {queued > 0 && (
        <p className="muted small">{queued} scripted fault(s) waiting for the next refresh.</p>
      )}
      {problem !== null && <p className="form-error">{problem}</p>}
      {stats !== null && (
        <div className="stats" data-testid="server-stats">
          <div>
            <div className="figure" data-testid="server-refreshes">
              {refreshCount(stats)}
            </div>
            <div className="figure-label">refreshes served</div>
          </div>
          <div>
            <div className="figure">{stats.demoApi.ok ?? 0}</div>
            <div className="figure-label">API calls accepted</div>
          </div>
          <div>
            <div className="figure">
              {(stats.demoApi.expired ?? 0) + (stats.demoApi.invalid ?? 0)}
            </div>
            <div className="figure-label">API 401s</div>
          </div>
        </div>
      )}
    </section>
  )
}
