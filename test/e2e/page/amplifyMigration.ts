/**
 * The page of test/e2e/amplifyMigration.test.ts: served on the same origin as the benchmark's
 * Amplify v6 page (bench/browser/amplify-page.ts), so both read one localStorage. It runs
 * react-cognito-refresh with its default transport on the session Amplify stored there. Only
 * claims, key names, counts and SHA-256 fingerprints of tokens leave the page, never a token.
 */
import { cognitoTransport, createAuthClient, type TokenSet } from '../../../src/core/index'
import {
  adoptLegacySession,
  legacyWriteBack,
  migrateLegacySession,
  type LegacySource,
} from '../../../src/migration/index'
import { decodeClaims } from '../../../src/core/tokens'

const params = new URLSearchParams(location.search)
const clientId = params.get('clientId') ?? ''
const endpoint = params.get('endpoint') ?? ''

const client = createAuthClient({ clientId, transport: cognitoTransport({ clientId, endpoint }) })
// As an app does at start-up: the client reads its own storage (empty here) and schedules.
client.mount()

const prefix = `CognitoIdentityServiceProvider.${clientId}.`

/** The first 16 hex digits of the token's SHA-256: enough to compare, useless to replay. */
async function fingerprint(token: string | undefined | null): Promise<string | null> {
  if (token === undefined || token === null || token === '') return null
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return [...new Uint8Array(digest)]
    .slice(0, 8)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
}

const pick = (claims: Record<string, unknown>, names: string[]) =>
  Object.fromEntries(names.filter((n) => n in claims).map((n) => [n, claims[n]]))

const accessClaimNames = ['sub', 'username', 'client_id', 'token_use', 'iat', 'exp']
const idClaimNames = ['sub', 'cognito:username', 'aud', 'token_use', 'iat', 'exp']

async function describeJwt(token: string | null, names: string[]) {
  if (token === null) return null
  let claims: Record<string, unknown> = {}
  try {
    claims = decodeClaims<Record<string, unknown>>(token, 'stored token')
  } catch {
    // Not a JWT: the fingerprint alone says it is there.
  }
  return { fp: await fingerprint(token), claims: pick(claims, names) }
}

/** What is stored under `CognitoIdentityServiceProvider.<clientId>.`, token values fingerprinted. */
async function legacy() {
  const keys: string[] = []
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)
    if (key?.startsWith(prefix)) keys.push(key.slice(prefix.length))
  }
  const lastAuthUser = localStorage.getItem(`${prefix}LastAuthUser`)
  const get = (name: string) =>
    lastAuthUser === null ? null : localStorage.getItem(`${prefix}${lastAuthUser}.${name}`)
  const signInDetails = get('signInDetails')
  return {
    keys: keys.sort(),
    lastAuthUser,
    clockDrift: get('clockDrift'),
    signInDetails: signInDetails === null ? null : (JSON.parse(signInDetails) as unknown),
    access: await describeJwt(get('accessToken'), accessClaimNames),
    id: await describeJwt(get('idToken'), idClaimNames),
    refresh: { fp: await fingerprint(get('refreshToken')) },
  }
}

async function describeTokens(tokens: TokenSet | null) {
  if (tokens === null) return null
  return {
    version: tokens.version,
    expiresAt: tokens.expiresAt,
    receivedAt: tokens.receivedAt,
    sub: tokens.accessClaims.sub,
    iat: tokens.accessClaims.iat,
    exp: tokens.accessClaims.exp,
    access: await fingerprint(tokens.accessToken),
    id: await fingerprint(tokens.idToken),
    refresh: await fingerprint(tokens.refreshToken),
  }
}

async function state() {
  const s = client.getSnapshot()
  return {
    status: s.status,
    signOutReason: s.signOutReason,
    tokens: await describeTokens(s.tokens),
  }
}

/** `migrateLegacySession` only reads: what it makes of the stored keys, and when it read them. */
async function migrate(source: LegacySource | 'auto') {
  const at = Date.now()
  const m = migrateLegacySession({ clientId, source })
  if (m.session === null) return { at, reason: m.reason }
  const { session } = m
  return {
    at,
    reason: m.reason,
    source: m.source,
    username: m.username,
    serverAheadMs: m.serverAheadMs,
    expired: m.expired,
    expiresIn: session.ExpiresIn,
    access: await fingerprint(session.AccessToken),
    id: await fingerprint(session.IdToken),
    refresh: await fingerprint(session.RefreshToken),
    device: session.NewDeviceMetadata !== undefined,
  }
}

let stopWriteBack: (() => void) | undefined

/** Step 1 of the migration guide: write-back subscribed first (if asked), then adopt. */
async function adopt(writeBack: boolean) {
  if (writeBack) stopWriteBack = legacyWriteBack(client, { clientId, source: 'amplify' })
  const before = Date.now()
  const result = adoptLegacySession(client, { clientId, source: 'amplify' })
  return {
    before,
    after: Date.now(),
    reason: result.reason,
    ...(result.session !== null && {
      source: result.source,
      username: result.username,
      serverAheadMs: result.serverAheadMs,
      expired: result.expired,
    }),
  }
}

async function refresh() {
  await client.refresh({ force: true })
  return state()
}

async function signOut() {
  await client.signOut()
  return state()
}

const api = { legacy, state, migrate, adopt, refresh, signOut, stop: () => stopWriteBack?.() }

declare global {
  interface Window {
    migration: typeof api
  }
}
window.migration = api
