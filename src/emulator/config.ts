/**
 * Emulator options (also the shape of a `--config` JSON file), their defaults, and the resolved
 * configuration the server runs on. Validation throws early with a message naming the bad field.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { StatusCodeMode } from './errors'
import type { FaultSettingsInput } from './faults'

export type ExplicitAuthFlow =
  | 'ALLOW_USER_PASSWORD_AUTH'
  | 'ALLOW_REFRESH_TOKEN_AUTH'
  | 'ALLOW_USER_SRP_AUTH'
  | 'ALLOW_CUSTOM_AUTH'
  | 'ALLOW_ADMIN_USER_PASSWORD_AUTH'
  | 'ALLOW_USER_AUTH'

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
   * @default ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] without rotation,
   * ['ALLOW_USER_PASSWORD_AUTH'] with it
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
  /** Bodies above this get RequestEntityTooLargeException (413). @default 1048576 */
  maxBodyBytes?: number
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
  /** @default [the rotating demo client, the classic demo client] */
  clients?: AppClientConfig[]
  behaviour?: BehaviourOptions
  /** Faults active from the start. @default none */
  faults?: FaultSettingsInput
  /** Seeds every random fault decision. @default 1 */
  seed?: number
  /** Serve `/_emulator/*` (faults, stats, reset, users, sign-in). @default true */
  control?: boolean
  /** Serve the protected demo API `GET /api/profile`. @default true */
  demoApi?: boolean
  /**
   * Generate signing keys for this emulator alone, instead of sharing the process's pair (the
   * issuer differs either way, so tokens never verify across emulators). @default false
   */
  freshSigningKeys?: boolean
  /** Called with one line per request (no token material). @default no logging */
  log?: (line: string) => void
}

export interface ResolvedClient {
  clientId: string
  clientName: string
  clientSecret: string | undefined
  explicitAuthFlows: readonly ExplicitAuthFlow[]
  accessTokenValiditySeconds: number
  idTokenValiditySeconds: number
  refreshTokenValiditySeconds: number
  rotation: { enabled: boolean; retryGracePeriodSeconds: number }
  deviceTracking: boolean
  enableTokenRevocation: boolean
}

export interface ResolvedBehaviour {
  statusCodes: StatusCodeMode
  graceReuse: 'same' | 'new'
  reuseRevokesFamily: boolean
  reuseMessage: string
  refreshTokenAuthOnRotatingClient: { code: string; message: string }
  oauthRefusesDeviceTrackedTokens: boolean
  maxBodyBytes: number
}

export interface ResolvedConfig {
  port: number
  host: string
  userPoolId: string
  region: string
  users: readonly UserConfig[]
  clients: readonly ResolvedClient[]
  behaviour: ResolvedBehaviour
  seed: number
  control: boolean
  demoApi: boolean
  freshSigningKeys: boolean
}

export const demoUser = {
  username: 'demo@example.com',
  password: 'Passw0rd!demo',
  attributes: { email: 'demo@example.com', email_verified: 'true', name: 'Demo User' },
} as const satisfies UserConfig

export const demoRotatingClientId = 'rotatingdemoclient00000001'
export const demoClassicClientId = 'classicdemoclient000000002'

export const demoClients: readonly AppClientConfig[] = [
  {
    clientId: demoRotatingClientId,
    clientName: 'demo (rotation on)',
    explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
  },
  {
    clientId: demoClassicClientId,
    clientName: 'demo (rotation off)',
    explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  },
]

const thirtyDays = 30 * 86_400
const poolIdPattern = /^[\w-]+_[0-9a-zA-Z]+$/
const clientIdPattern = /^[\w+]+$/

function fail(message: string): never {
  throw new TypeError(`Emulator options: ${message}`)
}

function integer(value: unknown, name: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max} (got ${String(value)}).`)
  }
  return value
}

export function randomClientId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(randomBytes(26), (byte) => alphabet[byte % alphabet.length]).join('')
}

export function resolveClient(client: AppClientConfig, index: number): ResolvedClient {
  const where = `clients[${index}]`
  const clientId = client.clientId ?? randomClientId()
  if (clientId.length > 128 || !clientIdPattern.test(clientId))
    fail(`${where}.clientId is invalid.`)
  const secret = client.clientSecret
  if (
    secret !== undefined &&
    (secret.length < 24 || secret.length > 64 || !clientIdPattern.test(secret))
  ) {
    fail(`${where}.clientSecret must be 24..64 characters of [\\w+].`)
  }
  const rotationEnabled = client.refreshTokenRotation?.feature === 'ENABLED'
  const grace = integer(
    client.refreshTokenRotation?.retryGracePeriodSeconds,
    `${where}.refreshTokenRotation.retryGracePeriodSeconds`,
    0,
    60,
    0,
  )
  return {
    clientId,
    clientName: client.clientName ?? clientId,
    clientSecret: secret,
    explicitAuthFlows:
      client.explicitAuthFlows ??
      (rotationEnabled
        ? ['ALLOW_USER_PASSWORD_AUTH']
        : ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    accessTokenValiditySeconds: integer(
      client.accessTokenValiditySeconds,
      `${where}.accessTokenValiditySeconds`,
      1,
      86_400,
      3600,
    ),
    idTokenValiditySeconds: integer(
      client.idTokenValiditySeconds,
      `${where}.idTokenValiditySeconds`,
      1,
      86_400,
      3600,
    ),
    refreshTokenValiditySeconds: integer(
      client.refreshTokenValiditySeconds,
      `${where}.refreshTokenValiditySeconds`,
      1,
      315_360_000,
      thirtyDays,
    ),
    rotation: { enabled: rotationEnabled, retryGracePeriodSeconds: grace },
    deviceTracking: client.deviceTracking ?? false,
    enableTokenRevocation: client.enableTokenRevocation ?? true,
  }
}

export function resolveConfig(options: EmulatorOptions = {}): ResolvedConfig {
  const userPoolId = options.userPoolId ?? 'us-east-1_localDemo'
  if (!poolIdPattern.test(userPoolId) || userPoolId.length > 55) {
    fail('userPoolId must look like us-east-1_AbC123.')
  }
  const region = options.region ?? userPoolId.split('_')[0] ?? 'us-east-1'
  const clients = (options.clients ?? demoClients).map(resolveClient)
  const ids = new Set(clients.map((c) => c.clientId))
  if (ids.size !== clients.length) fail('two clients share a clientId.')
  const users = options.users ?? [demoUser]
  const names = new Set<string>()
  users.forEach((user, i) => {
    if (typeof user.username !== 'string' || user.username === '')
      fail(`users[${i}].username is missing.`)
    if (typeof user.password !== 'string') fail(`users[${i}].password is missing.`)
    if (names.has(user.username)) fail(`users[${i}].username is a duplicate.`)
    names.add(user.username)
  })
  const b = options.behaviour ?? {}
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('port must be 0..65535.')
  return {
    port,
    host: options.host ?? '127.0.0.1',
    userPoolId,
    region,
    users,
    clients,
    behaviour: {
      statusCodes: b.statusCodes ?? 'real',
      graceReuse: b.graceReuse ?? 'same',
      reuseRevokesFamily: b.reuseRevokesFamily ?? false,
      reuseMessage: b.reuseMessage ?? 'Refresh token has been invalidated by rotation.',
      refreshTokenAuthOnRotatingClient: b.refreshTokenAuthOnRotatingClient ?? {
        code: 'NotAuthorizedException',
        message: 'Refresh token rotation must be completed with GetTokensFromRefreshToken.',
      },
      oauthRefusesDeviceTrackedTokens: b.oauthRefusesDeviceTrackedTokens ?? true,
      maxBodyBytes: integer(
        b.maxBodyBytes,
        'behaviour.maxBodyBytes',
        1024,
        64 * 1024 * 1024,
        1024 * 1024,
      ),
    },
    seed: options.seed ?? 1,
    control: options.control ?? true,
    demoApi: options.demoApi ?? true,
    freshSigningKeys: options.freshSigningKeys ?? false,
  }
}

/** Reads a JSON config file (the `EmulatorOptions` shape without `log`). */
export function loadConfigFile(path: string): EmulatorOptions {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    fail(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(`${path} must hold a JSON object.`)
  }
  return parsed as EmulatorOptions
}
