/** The options of `createAuthHandlers`. */
import type { Clock } from '../core/platform/clock'
import type { CognitoEndpointOptions } from '../core/transports/awsJson'
import type { Transport } from '../core/transports/types'
import type { SessionCookieOptions } from './cookie'
import type { ServerManagedLoginOptions } from './managedLogin'
import type { ServerSessionOptions } from './session'

export interface AuthHandlersOptions extends CognitoEndpointOptions {
  clientId: string
  /** The app client's secret: a confidential client, since the secret stays on the server. */
  clientSecret?: string
  /** Seal the cookie: the first seals, every one opens (add a new one first to rotate). */
  secrets: readonly string[]
  cookie?: SessionCookieOptions
  /** Origins that may POST besides the request's own, e.g. the app's behind a proxy. */
  allowedOrigins?: readonly string[]
  /** A header every POST must carry. @default 'x-requested-with' */
  csrfHeader?: string
  /** How long a finished refresh's answer serves the same refresh token again. @default 10000 */
  reuseWindowMs?: number
  clock?: Clock
  /** What calls Cognito. @default cognitoTransport with the options above */
  transport?: Transport
  /** Sign-in through Cognito managed login on this server (`signIn`, `callback`). */
  managedLogin?: ServerManagedLoginOptions
  /**
   * The session on the server (`getSession`): the access and ID tokens also go into HttpOnly
   * cookies of their own (`<name>-access`, `<name>-id`, SameSite=Lax, Path=/), verified against
   * the pool's JWKS when read.
   */
  session?: ServerSessionOptions
}
