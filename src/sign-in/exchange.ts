/**
 * The callback's two outcomes from Cognito: an error on the redirect, or a code exchanged at
 * `/oauth2/token` with the verifier, whose ID token must be this sign-in's.
 */
import { AuthError, redact } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import type { AuthenticationResult } from '../core/tokens'
import { type HttpOptions, send } from '../core/transports/http'
import { authenticationResultOfOAuth, decodeOAuthError, parseJson } from '../core/transports/oauth2'
import { checkIdToken } from './idToken'
import type { PendingSignIn } from './pending'

/** Where `managedLogin` keeps what `signInWithPopup` needs of it. */
export const parts = Symbol('managedLogin')

export interface ExchangeOptions extends HttpOptions {
  /** The user-pool domain's base URL. */
  base: string
  clientId: string
  issuer?: string
  clock: Clock
  /** More request headers: a confidential client's `Authorization` (the server kit). */
  headers?: Record<string, string>
}

/** Whether `url` is a callback to `redirectUri`: its origin and path, a `state`, a code or an error. */
export function isCallbackTo(redirectUri: string, url: string): boolean {
  try {
    const at = new URL(url)
    const target = new URL(redirectUri)
    const params = at.searchParams
    return (
      at.origin === target.origin &&
      at.pathname === target.pathname &&
      params.has('state') &&
      (params.has('code') || params.has('error'))
    )
  } catch {
    return false
  }
}

/** The error Cognito redirected back with, as an AuthError. */
export function callbackError(error: string, description: string | null): AuthError {
  return error === 'access_denied'
    ? new AuthError('SignInCancelled', 'The sign-in was cancelled.', { kind: 'fatal' })
    : new AuthError(
        'SignInFailed',
        redact(`Managed login answered ${error}${description ? `: ${description}` : ''}.`),
        { kind: 'fatal', serviceCode: error },
      )
}

/** The code exchanged for tokens, checked; the code and verifier stay out of every error. */
export async function exchangeCode(
  options: ExchangeOptions,
  code: string,
  started: PendingSignIn,
): Promise<AuthenticationResult> {
  const { base, clientId, clock } = options
  const secrets = [code, started.verifier]
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: started.redirectUri,
    code_verifier: started.verifier,
  })
  const reply = await send({
    ...options,
    url: `${base}/oauth2/token`,
    // Only the form content type, as the oauth2 transport sends: a CORS "simple request".
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body: form.toString(),
    },
    signal: new AbortController().signal,
    secrets,
  })
  if (reply.status < 200 || reply.status > 299) {
    throw decodeOAuthError(reply, clock.now(), secrets)
  }
  const result = authenticationResultOfOAuth(parseJson(reply.text))
  checkIdToken(result.IdToken, {
    clientId,
    nonce: started.nonce,
    issuer: options.issuer,
    now: clock.now(),
    leewayMs: 300_000,
  })
  if (typeof result.RefreshToken !== 'string') {
    throw new AuthError(
      'InvalidResponse',
      'No refresh token came back: allow the app client the authorization code grant.',
    )
  }
  return result
}
