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
