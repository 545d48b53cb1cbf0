/**
 * Reads and checks an authorize request (`/oauth2/authorize`, `/login`, and `/logout` with a
 * `redirect_uri`) in Cognito's order. Until `redirect_uri` is known to be one of the client's
 * callback URLs, a problem gets an HTML error page, never a redirect; after that, errors go back
 * to the app as `redirect_uri?error=…&state=…` (RFC 6749 §4.1.2.1).
 */
import type { ResolvedClient } from '../config'
import { type Context, findClient } from '../context'
import { type Reply, page, redirect, withQuery } from './browser'
import { errorPage } from './pages'

export interface AuthorizeRequest {
  client: ResolvedClient
  redirectUri: string
  state: string | undefined
  nonce: string | undefined
  scopes: readonly string[]
  /** The S256 challenge, if one was sent. */
  codeChallenge: string | undefined
  prompt: ReadonlySet<string>
  loginHint: string | undefined
  lang: string | undefined
  /** The query as received, forwarded to `/login` and to the form's action. */
  search: string
}

export type Parsed = { ok: true; request: AuthorizeRequest } | { ok: false; reply: Reply }

/** BASE64URL(SHA-256(verifier)) is always 43 characters. */
const s256Challenge = /^[A-Za-z0-9_-]{43}$/

const value = (params: URLSearchParams, name: string) => {
  const v = params.get(name)
  return v === null || v === '' ? undefined : v
}

export function parseAuthorize(ctx: Context, url: URL): Parsed {
  const params = url.searchParams
  const clientId = value(params, 'client_id')
  const client = clientId === undefined ? undefined : findClient(ctx, clientId)
  if (client === undefined) {
    return { ok: false, reply: page(400, errorPage('invalid_client'), 'invalid_client') }
  }
  const redirectUri = value(params, 'redirect_uri')
  if (redirectUri === undefined || !client.callbackURLs.includes(redirectUri)) {
    return { ok: false, reply: page(400, errorPage('redirect_mismatch'), 'redirect_mismatch') }
  }
  const state = params.get('state') ?? undefined
  const refuse = (error: string): Parsed => ({
    ok: false,
    reply: redirect(withQuery(redirectUri, { error, state }), error),
  })
  const responseType = value(params, 'response_type')
  if (responseType === undefined) return refuse('invalid_request')
  // [infer] The emulator has no implicit grant: `token` is refused like any other type.
  if (responseType !== 'code') return refuse('unsupported_response_type')
  if (!client.allowedOAuthFlows.includes('code')) return refuse('unauthorized_client')
  const requested = (value(params, 'scope') ?? '').split(' ').filter((s) => s !== '')
  // No scope asks for every scope the client allows, as in Cognito.
  const scopes = requested.length === 0 ? [...client.allowedOAuthScopes] : [...new Set(requested)]
  if (scopes.some((s) => !(client.allowedOAuthScopes as readonly string[]).includes(s))) {
    return refuse('invalid_scope')
  }
  const codeChallenge = value(params, 'code_challenge')
  if (codeChallenge !== undefined) {
    // Cognito takes S256 only; `plain` (or no method, which means plain) is refused.
    if (params.get('code_challenge_method') !== 'S256') return refuse('invalid_request')
    if (!s256Challenge.test(codeChallenge)) return refuse('invalid_request')
  }
  // identity_provider, idp_identifier and resource are accepted; the emulator has no
  // federated IdPs, so every sign-in is the local form.
  return {
    ok: true,
    request: {
      client,
      redirectUri,
      state,
      nonce: params.get('nonce') ?? undefined,
      scopes,
      codeChallenge,
      prompt: new Set((value(params, 'prompt') ?? '').split(' ').filter((s) => s !== '')),
      loginHint: value(params, 'login_hint'),
      lang: value(params, 'lang'),
      search: url.search,
    },
  }
}
