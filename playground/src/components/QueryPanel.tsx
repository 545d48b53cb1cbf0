import { useState } from 'react'
import { useAuth } from 'react-cognito-refresh'
import { useAuthQuery } from 'react-cognito-refresh/query'

export interface QueryPanelProps {
  url: string | undefined
  fetch?: typeof fetch
}

interface Profile {
  username?: string
  sub?: string
  expiresAt?: number
}

/**
 * A TanStack Query over the protected API with the library's query entry: `useAuthQuery` scopes
 * the key to the user (one user's cache is never shown to another), runs only while signed in,
 * hands the query function the auth fetch, and never retries an auth failure.
 */
export function QueryPanel({ url, fetch: baseFetch }: QueryPanelProps) {
  const { isAuthenticated } = useAuth()
  const [polling, setPolling] = useState(false)
  const query = useAuthQuery({
    queryKey: ['profile'],
    // `fetch` is the auth fetch, bound to this query's signal and to the user it is cached for.
    queryFn: async ({ fetch: authFetch }): Promise<Profile> => {
      const response = await authFetch(url ?? '')
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      return (await response.json()) as Profile
    },
    enabled: url !== undefined,
    refetchInterval: polling ? 5_000 : false,
    retry: 1,
    fetchOptions: {
      // The API (the emulator's port, or the stories' fake host) is another origin than the page.
      allowedOrigins: url === undefined ? [] : [new URL(url, location.href).origin],
      ...(baseFetch !== undefined && { fetch: baseFetch }),
    },
  })
  return (
    <section className="card" aria-label="TanStack Query">
      <header className="card-head">
        <div>
          <h2 className="card-title">TanStack Query</h2>
          <div className="muted small">
            <code>
              useAuthQuery({'{'} queryKey: ['profile'] {'}'})
            </code>
          </div>
        </div>
        <div className="actions tight">
          <label className="switch">
            <input
              type="checkbox"
              checked={polling}
              onChange={(e) => setPolling(e.target.checked)}
            />
            <span>poll every 5 s</span>
          </label>
          <button
            className="button button-quiet"
            disabled={!isAuthenticated || url === undefined}
            onClick={() => void query.refetch()}
          >
            Refetch
          </button>
        </div>
      </header>
      <div className="query-state" data-testid="query-state">
        <span className={`pill pill-${query.status}`}>status: {query.status}</span>
        <span className={`pill pill-${query.fetchStatus}`}>fetch: {query.fetchStatus}</span>
        {query.dataUpdatedAt > 0 && (
          <span className="muted small">
            updated {new Date(query.dataUpdatedAt).toLocaleTimeString()}
          </span>
        )}
      </div>
      {query.data !== undefined ? (
        <dl className="claims-list">
          <div className="claim">
            <dt>username</dt>
            <dd>{query.data.username}</dd>
          </div>
          <div className="claim">
            <dt>token expires</dt>
            <dd>
              {query.data.expiresAt === undefined
                ? '–'
                : new Date(query.data.expiresAt * 1000).toLocaleTimeString()}
            </dd>
          </div>
        </dl>
      ) : query.error !== null ? (
        <p className="form-error">{query.error.message}</p>
      ) : (
        <p className="empty">
          {isAuthenticated
            ? 'Loading the profile…'
            : 'Signed out: the query is disabled and its cache removed.'}
        </p>
      )}
    </section>
  )
}
