import { useState } from 'react'
import type { TokenSet } from 'react-cognito-refresh'
import { TokenFingerprints } from './TokenFingerprints'

const timeClaims = new Set(['exp', 'iat', 'auth_time', 'nbf'])
/** Ids that are not secrets, shortened so the table stays readable. */
const idClaims = new Set(['jti', 'origin_jti', 'event_id', 'sub'])

function format(name: string, value: unknown): string {
  if (timeClaims.has(name) && typeof value === 'number') {
    return new Date(value * 1000).toLocaleTimeString()
  }
  if (idClaims.has(name) && typeof value === 'string' && value.length > 14) {
    return `${value.slice(0, 8)}…${value.slice(-4)}`
  }
  if (Array.isArray(value)) return value.join(', ')
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The decoded claims of the ID or the access token, and one-way fingerprints of the tokens so a
 * refresh can be seen to replace them. The tokens themselves are never rendered.
 */
export function ClaimsTable({ tokens }: { tokens: TokenSet }) {
  const [which, setWhich] = useState<'id' | 'access'>(tokens.idClaims ? 'id' : 'access')
  const claims = which === 'id' ? (tokens.idClaims ?? {}) : tokens.accessClaims
  return (
    <div className="claims">
      <div className="claims-head">
        <div className="segmented" role="tablist" aria-label="Token">
          <button
            role="tab"
            aria-selected={which === 'id'}
            disabled={tokens.idClaims === undefined}
            onClick={() => setWhich('id')}
          >
            ID token
          </button>
          <button role="tab" aria-selected={which === 'access'} onClick={() => setWhich('access')}>
            Access token
          </button>
        </div>
        <span className="muted small">claims only; tokens are never shown</span>
      </div>
      <dl className="claims-list">
        {Object.entries(claims).map(([name, value]) => (
          <div key={name} className="claim">
            <dt>{name}</dt>
            <dd>{format(name, value)}</dd>
          </div>
        ))}
      </dl>
      <TokenFingerprints tokens={tokens} />
    </div>
  )
}
