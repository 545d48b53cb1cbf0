import { useState } from 'react'
import { useAuthFetch, useAuthState } from 'react-cognito-refresh'

type Outcome = (
  | { kind: 'ok'; status: number; body: unknown; ms: number }
  | { kind: 'http'; status: number; body: unknown; ms: number }
  | { kind: 'error'; message: string }
) & {
  /** The session the call was made in: a result is shown only while that session lasts. */
  sessionId: string | null
}

export interface ApiPanelProps {
  /** The protected endpoint, e.g. the emulator's `/api/profile`. */
  url: string | undefined
  /** The fetch under `useAuthFetch` (stories pass a fake API). Define it outside components. */
  fetch?: typeof fetch
}

/** Calls a protected API through `useAuthFetch`: a valid token is attached, a 401 retried once. */
export function ApiPanel({ url, fetch: baseFetch }: ApiPanelProps) {
  // The API (the emulator's port, or the stories' fake host) is another origin than the page.
  const allowedOrigins = url === undefined ? [] : [new URL(url, location.href).origin]
  const authFetch = useAuthFetch({
    allowedOrigins,
    ...(baseFetch !== undefined && { fetch: baseFetch }),
  })
  const sessionId = useAuthState((s) => s.tokens?.sessionId ?? null)
  const [last, setOutcome] = useState<Outcome | null>(null)
  // A user's API reply is not left on screen after sign-out or for the next user.
  const outcome = last?.sessionId === sessionId ? last : null
  const [pending, setPending] = useState(false)
  const call = async () => {
    if (url === undefined) return
    setPending(true)
    const from = sessionId
    const started = performance.now()
    try {
      const response = await authFetch(url)
      const body: unknown = await response.json().catch(() => null)
      const ms = Math.round(performance.now() - started)
      setOutcome({
        kind: response.ok ? 'ok' : 'http',
        status: response.status,
        body,
        ms,
        sessionId: from,
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      setOutcome({ kind: 'error', message, sessionId: from })
    } finally {
      setPending(false)
    }
  }
  return (
    <section className="card" aria-label="Protected API">
      <header className="card-head">
        <div>
          <h2 className="card-title">Protected API</h2>
          <div className="muted small">
            <code>useAuthFetch()</code> →{' '}
            <code>GET {url === undefined ? '(no API configured)' : new URL(url).pathname}</code>
          </div>
        </div>
        <button
          className="button"
          disabled={pending || url === undefined}
          onClick={() => void call()}
        >
          {pending ? 'Calling…' : 'Call the API'}
        </button>
      </header>
      {outcome === null ? (
        <p className="empty">
          The call waits for a valid access token, sends it as a Bearer header, and retries a 401
          once after a refresh.
        </p>
      ) : outcome.kind === 'error' ? (
        <div className="notice notice-danger" data-testid="api-result">
          <p>{outcome.message}</p>
        </div>
      ) : (
        <div className="result" data-testid="api-result">
          <div className="result-head">
            <span className={`http http-${outcome.kind}`}>HTTP {outcome.status}</span>
            <span className="muted small">{outcome.ms} ms</span>
          </div>
          <pre className="json">{JSON.stringify(outcome.body, null, 2)}</pre>
        </div>
      )}
    </section>
  )
}
