import { useEffect, useMemo, useState } from 'react'
import { useAuthState } from 'react-cognito-refresh'
import type { ManagedLogin } from 'react-cognito-refresh/sign-in'
import type { ActivityFeed } from './activity'
import { ActivityLog } from './components/ActivityLog'
import { ApiPanel } from './components/ApiPanel'
import { FaultPanel } from './components/FaultPanel'
import { QueryPanel } from './components/QueryPanel'
import { SessionCard } from './components/SessionCard'
import { ChallengeSignIn } from './components/ChallengeSignIn'
import { SignInForm } from './components/SignInForm'
import type { PlaygroundConfig } from './config'
import { type PoolInfo, emulatorControl } from './emulatorControl'
import { signInWithPassword } from './signIn'
import type { TabLabel } from './tab'
import { useActivity } from './useActivity'

export interface AppProps {
  /** Managed login, on the emulator. */
  login?: ManagedLogin | undefined
  config: PlaygroundConfig
  tab: TabLabel
  feed: ActivityFeed
}

function usePoolInfo(config: PlaygroundConfig): PoolInfo | null {
  const [pool, setPool] = useState<PoolInfo | null>(null)
  useEffect(() => {
    if (config.emulatorUrl === undefined) return
    let live = true
    emulatorControl(config.emulatorUrl)
      .pool()
      .then((p) => live && setPool(p))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [config.emulatorUrl])
  return pool
}

export function App({ config, tab, feed, login }: AppProps) {
  const status = useAuthState((s) => s.status)
  const entries = useActivity(feed)
  const pool = usePoolInfo(config)
  const control = useMemo(
    () => (config.emulatorUrl === undefined ? undefined : emulatorControl(config.emulatorUrl)),
    [config.emulatorUrl],
  )
  const client = pool?.clients.find((c) => c.clientId === config.clientId)
  const signIn = (username: string, password: string) =>
    signInWithPassword(config.endpoint, config.clientId, username, password)

  return (
    <div className="page">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden />
          <div>
            <div className="brand-name">react-cognito-refresh</div>
            <div className="brand-sub">Playground</div>
          </div>
        </div>
        <div className="topbar-meta">
          <span className="chip" title={config.endpoint}>
            {config.mode === 'emulator' ? 'Local emulator' : `Cognito ${config.region ?? ''}`}
          </span>
          {client !== undefined && (
            <span className="chip">
              access token {client.accessTokenValiditySeconds} s · rotation{' '}
              {client.rotation.enabled
                ? `on (grace ${client.rotation.retryGracePeriodSeconds} s)`
                : 'off'}
            </span>
          )}
          <span
            className="tab-chip big"
            style={{ ['--hue' as string]: tab.hue }}
            data-testid="tab-label"
          >
            {tab.name}
          </span>
          <button
            className="button"
            onClick={() => window.open(window.location.href, '_blank', 'noopener')}
          >
            Open another tab
          </button>
        </div>
      </header>

      <p className="lede">
        One refresh for every tab. Sign in, open a second tab, and watch one tab refresh from
        Cognito while the others adopt its tokens. Break the network with the fault controls: the
        session survives, and only a definitive answer from Cognito signs you out.
      </p>

      <main className="grid">
        <div className="column">
          {status === 'authenticated' ? (
            <SessionCard />
          ) : (
            <>
              <SignInForm signIn={signIn} demoUser={config.demoUser} managedLogin={login} />
              <ChallengeSignIn
                clientId={config.clientId}
                endpoint={config.endpoint}
                userPoolId={pool?.userPoolId}
                control={control}
              />
            </>
          )}
          <ApiPanel url={config.apiUrl} />
          <QueryPanel url={config.apiUrl} />
        </div>
        <div className="column">
          <ActivityLog entries={entries} selfId={tab.id} signedIn={status === 'authenticated'} />
          {control !== undefined && <FaultPanel control={control} rotation={client?.rotation} />}
        </div>
      </main>
      <footer className="footer muted small">
        Tokens stay in this browser; the page shows decoded claims and one-way fingerprints only.
      </footer>
    </div>
  )
}
