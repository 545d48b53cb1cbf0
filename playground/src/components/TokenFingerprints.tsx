import type { TokenSet } from 'react-cognito-refresh'
import { fingerprint } from '../fingerprint'
import { shortSessionId } from '../format'

/** One-way fingerprints of the tokens and the session's version: a refresh visibly changes them. */
export function TokenFingerprints({ tokens }: { tokens: TokenSet }) {
  return (
    <div className="fingerprints" data-testid="fingerprints">
      <span title="A one-way hash, not the token">
        access <code>••••{fingerprint(tokens.accessToken).slice(0, 6)}</code>
      </span>
      <span title="A one-way hash, not the token">
        refresh <code>••••{fingerprint(tokens.refreshToken).slice(0, 6)}</code>
      </span>
      <span>
        version <code data-testid="token-version">{tokens.version}</code>
      </span>
      <span title="A short label for this session, the same in every tab">
        session <code data-testid="session-label">{shortSessionId(tokens.sessionId)}</code>
      </span>
    </div>
  )
}
