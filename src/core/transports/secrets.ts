import { AuthError } from '../errors'
import { isBrowser, warnOnce } from '../warn'

/** One development warning when a client secret reaches a browser build, whatever the transport. */
export function warnAboutSecret(clientSecret: string | undefined): void {
  try {
    // The app's bundler replaces `process.env.NODE_ENV`: a production build drops the warning and
    // its text (as React and TanStack Query do with theirs).
    if (process.env.NODE_ENV !== 'production' && clientSecret !== undefined && isBrowser()) {
      warnOnce(
        'client-secret',
        'A client secret was passed in a browser build. Everything shipped to a browser is public: ' +
          'use an app client without a secret, or refresh through your own backend.',
      )
    }
  } catch {
    // No `process` (a browser build that nothing replaced): skip the development warning.
  }
}

/** The exact strings an error from a call must never contain. */
export function secretsFor(token: string, clientSecret: string | undefined): string[] {
  return clientSecret === undefined ? [token] : [token, clientSecret]
}

/**
 * Cognito's refusals of a client secret or SECRET_HASH all name the secret ("Unable to verify
 * secret hash for client …", "Client … is configured for secret but secret was not received",
 * "SecretHash does not match for the client: …"); its refusals of a refresh token ("Invalid
 * Refresh Token.", "… has expired", "… has been revoked") never do. The word, not a phrase, is
 * matched (not a member name such as `ClientSecret` in an echoed body), so a rewording still reads as what it is: the app client's configuration, not the
 * session, which must not end over it.
 */
export function isSecretRefusal(error: unknown): boolean {
  return (
    error instanceof AuthError &&
    error.kind !== 'retryable' &&
    error.code !== 'ConfigurationError' &&
    /\bsecret\b|secret ?hash/i.test(error.message)
  )
}

/** A refusal of the client's secret as a fatal ConfigurationError (session kept); else `error`. */
export function explainSecretRefusal(error: unknown, advice: string): unknown {
  if (!isSecretRefusal(error) || !(error instanceof AuthError)) return error
  return new AuthError(
    'ConfigurationError',
    `Cognito refused the app client's secret (${error.code}). ${advice}`,
    {
      kind: 'fatal',
      ...(error.status !== undefined && { status: error.status }),
      ...(error.requestId !== undefined && { requestId: error.requestId }),
      cause: error,
    },
  )
}
