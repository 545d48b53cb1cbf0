import { isBrowser, warnOnce } from '../warn'

/** One development warning when a client secret reaches a browser build, whatever the transport. */
export function warnAboutSecret(clientSecret: string | undefined): void {
  if (clientSecret === undefined || !isBrowser()) return
  warnOnce(
    'client-secret',
    'A client secret was passed in a browser build. Everything shipped to a browser is public: ' +
      'use an app client without a secret, or refresh through your own backend.',
  )
}

/** The exact strings an error from a call must never contain. */
export function secretsFor(token: string, clientSecret: string | undefined): string[] {
  return clientSecret === undefined ? [token] : [token, clientSecret]
}
