/**
 * The public options of the emulator, which are also the shape of a `--config` JSON file.
 * `config.ts` resolves them into the configuration the server runs on.
 */
import type { StatusCodeMode } from './errors'
import type { FaultSettingsInput } from './faults'

export type ExplicitAuthFlow =
  | 'ALLOW_USER_PASSWORD_AUTH'
  | 'ALLOW_REFRESH_TOKEN_AUTH'
  | 'ALLOW_USER_SRP_AUTH'
  | 'ALLOW_CUSTOM_AUTH'
  | 'ALLOW_ADMIN_USER_PASSWORD_AUTH'
  | 'ALLOW_USER_AUTH'

/** The OAuth scopes an app client may grant through managed login. */
export type OAuthScope = 'openid' | 'email' | 'profile' | 'phone' | 'aws.cognito.signin.user.admin'

/** The OAuth grant flows of managed login; the emulator serves the authorization code grant. */
export type OAuthFlow = 'code'

export interface UserConfig {
  /** The Cognito username (`cognito:username`, and the SECRET_HASH message for REFRESH_TOKEN_AUTH). */
  username: string
  password: string
  /** Standard and `custom:` attributes, as strings. `*_verified` values become booleans in the ID token. */
  attributes?: Record<string, string>
  /** A disabled user cannot sign in or refresh. @default true */
  enabled?: boolean
  /** An unconfirmed user gets UserNotConfirmedException at sign-in. @default true */
  confirmed?: boolean
  /** Put into `cognito:groups`. @default [] */
  groups?: string[]
  /** @default a random UUID */
  sub?: string
  /**
   * `FORCE_CHANGE_PASSWORD` (a user an administrator created with a temporary password): the next
   * sign-in answers with the NEW_PASSWORD_REQUIRED challenge. @default 'CONFIRMED'
   */
  status?: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD'
  /** The MFA the user has set up. @default none */
  mfa?: UserMfaConfig
}

export type MfaType = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP'

export interface UserMfaConfig {
  /** The base32 secret of an authenticator app the user set up (SOFTWARE_TOKEN_MFA). */
  totpSecret?: string
  /** Codes by SMS to the `phone_number` attribute (SMS_MFA). */
  sms?: boolean
  /** Codes by email to the `email` attribute (EMAIL_OTP). */
  email?: boolean
  /** The one asked for when several are set up; without it, SELECT_MFA_TYPE. */
  preferred?: MfaType
}

export interface RefreshTokenRotationConfig {
  feature: 'ENABLED' | 'DISABLED'
  /** 0..60. How long the submitted token still works after it was rotated. @default 0 */
  retryGracePeriodSeconds?: number
}

export interface AppClientConfig {
  /** 1..128 characters of `[\w+]`. @default 26 random lowercase letters and digits */
  clientId?: string
  /** @default the client id */
  clientName?: string
  /** Makes the client confidential (SECRET_HASH, ClientSecret, Basic auth). 24..64 of `[\w+]`. */
  clientSecret?: string
  /**
   * @default ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] without
   * rotation, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] with it
   */
  explicitAuthFlows?: ExplicitAuthFlow[]
  /** Seconds, 1..86400 (no 5-minute floor, so tests can use seconds). @default 3600 */
  accessTokenValiditySeconds?: number
  /** Seconds, 1..86400. @default 3600 */
  idTokenValiditySeconds?: number
  /** Seconds, 1..315360000. @default 2592000 (30 days) */
  refreshTokenValiditySeconds?: number
  /** @default { feature: 'DISABLED', retryGracePeriodSeconds: 0 } */
  refreshTokenRotation?: RefreshTokenRotationConfig
  /** Device tracking: sign-in issues NewDeviceMetadata and refreshes need the device key. @default false */
  deviceTracking?: boolean
  /** RevokeToken is refused (UnsupportedOperationException) when false. @default true */
  enableTokenRevocation?: boolean
  /**
   * Managed login's allowed callback URLs (Cognito's `CallbackURLs`): `redirect_uri` must equal
   * one exactly. Absolute, without a fragment. @default [] (no managed login for this client)
   */
  callbackURLs?: readonly string[]
  /** Allowed sign-out URLs (`LogoutURLs`) for `/logout?logout_uri=`. @default [] */
  logoutURLs?: readonly string[]
  /** `AllowedOAuthFlows`. @default ['code'] when `callbackURLs` is not empty, else [] */
  allowedOAuthFlows?: readonly OAuthFlow[]
  /** `AllowedOAuthScopes`. @default all five: openid, email, profile, phone, aws.cognito.signin.user.admin */
  allowedOAuthScopes?: readonly OAuthScope[]
}

/** Managed login (the hosted UI): the authorization code and the sign-in session cookie. */
export interface ManagedLoginOptions {
  /** Seconds an authorization code stays redeemable, 1..600. Cognito: 300. @default 300 */
  codeValiditySeconds?: number
  /** Seconds the managed-login session cookie signs the user in again, 1..86400. @default 3600 */
  sessionValiditySeconds?: number
}

/** Choices where the real service's behaviour is unknown (marked [infer] in the protocol reference). */
export interface BehaviourOptions {
  /** `real`: 400 for every client fault (what captures show); `model`: the Smithy codes. @default 'real' */
  statusCodes?: StatusCodeMode
  /** Reuse inside the grace window returns the same successor, or mints another. @default 'same' */
  graceReuse?: 'same' | 'new'
  /** Reuse after the grace window also revokes the whole token family. @default false */
  reuseRevokesFamily?: boolean
  /** @default 'Refresh token has been invalidated by rotation.' */
  reuseMessage?: string
  /**
   * The error for InitiateAuth REFRESH_TOKEN_AUTH on a rotating client.
   * @default { code: 'NotAuthorizedException', message: 'Refresh token rotation must be completed with GetTokensFromRefreshToken.' }
   */
  refreshTokenAuthOnRotatingClient?: { code: string; message: string }
  /** /oauth2/token refuses tokens from API sign-ins on device-tracking clients. @default true */
  oauthRefusesDeviceTrackedTokens?: boolean
  /**
   * A second redemption of an authorization code also revokes the tokens the first one issued
   * (RFC 6749 §4.1.2 recommends it; what Cognito does is undocumented). @default true
   */
  codeReuseRevokesTokens?: boolean
  /** Bodies above this get RequestEntityTooLargeException (413). @default 1048576 */
  maxBodyBytes?: number
}

/** Connection deadlines, enforced by Node's HTTP server (408 and close when one passes). */
export interface TimeoutOptions {
  /** From connecting (or the previous reply) to the end of the request headers. @default 10000 */
  headersMs?: number
  /** From connecting to the end of the request body (a slow-drip upload). @default 30000 */
  requestMs?: number
  /** How long an idle keep-alive connection stays open between requests. @default 5000 */
  keepAliveMs?: number
}

export interface EmulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** `<region>_<id>`. @default 'us-east-1_localDemo' */
  userPoolId?: string
  /** @default the user pool id's prefix */
  region?: string
  /** @default [the demo user] */
  users?: UserConfig[]
  /**
   * The pool's MFA setting (`MfaConfiguration`). `'OPTIONAL'`: users who set up MFA are asked for
   * a code; `'ON'`: users without MFA get MFA_SETUP (an authenticator app); `'OFF'`: no MFA.
   * @default 'OPTIONAL'
   */
  mfa?: 'OFF' | 'OPTIONAL' | 'ON'
  /**
   * The pool's sign-in policy for choice-based sign-in (`USER_AUTH`, clients with
   * `ALLOW_USER_AUTH`): the first factors a user may choose from. @default ['PASSWORD']
   */
  firstAuthFactors?: Array<'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP'>
  /** @default [the rotating demo client, the classic demo client] */
  clients?: AppClientConfig[]
  behaviour?: BehaviourOptions
  /** Managed login's code and session lifetimes. */
  managedLogin?: ManagedLoginOptions
  /** Faults active from the start. @default none */
  faults?: FaultSettingsInput
  /** Seeds every random fault decision. @default 1 */
  seed?: number
  /** Serve `/_emulator/*` (faults, stats, reset, users, sign-in). @default true */
  control?: boolean
  /**
   * Browser origins (`http://127.0.0.1:5173`) whose pages may call `/_emulator/*` and read the
   * pool summary at `GET /`. Requests without an `Origin` header (Node tests, curl) are always
   * allowed; any other origin is refused with 403, and its preflight fails, so a web page the
   * developer visits cannot change faults, add users or sign in through the control endpoint.
   * The Cognito routes keep `Access-Control-Allow-Origin: *`, as Cognito sends.
   * @default [] (no browser origin)
   */
  controlOrigins?: string[]
  /**
   * Host names, besides loopback, that `/_emulator/*` answers to (a container name, say). The
   * `Host` of a control request must be `127.0.0.1`, `localhost` or `[::1]` (any port), or one
   * of these; anything else gets 421, which stops DNS rebinding.
   * @default [] (loopback only)
   */
  controlHosts?: string[]
  /** How long a client may take to send a request; idle and slow-drip connections are closed. */
  timeouts?: TimeoutOptions
  /** Serve the protected demo API `GET /api/profile`. @default true */
  demoApi?: boolean
  /**
   * Generate signing keys for this emulator alone, instead of sharing the process's pair (the
   * issuer differs either way, so tokens never verify across emulators). @default false
   */
  freshSigningKeys?: boolean
  /**
   * Called with one line per request once it is over: method, path (never the query), the
   * operation, the status or `no reply`, the outcome of a failure, the time taken, e.g.
   * `POST / GetTokensFromRefreshToken 400 NotAuthorizedException 2 ms`. Bodies and headers,
   * where tokens and secrets travel, are never logged.
   * @default no logging
   */
  log?: (line: string) => void
}
