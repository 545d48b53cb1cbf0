/**
 * Resolves the emulator options into the configuration the server runs on: defaults, the demo
 * pool, and validation that throws early with a message naming the bad field.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { StatusCodeMode } from './errors'
import { fail, integer, resolveHosts, resolveOrigins, resolveTimeouts } from './configChecks'
import {
  type ClientLogin,
  type ResolvedManagedLogin,
  resolveClientLogin,
  resolveManagedLogin,
} from './login/loginConfig'
import type { AppClientConfig, EmulatorOptions, ExplicitAuthFlow, UserConfig } from './options'

export type {
  AppClientConfig,
  BehaviourOptions,
  EmulatorOptions,
  ExplicitAuthFlow,
  ManagedLoginOptions,
  OAuthFlow,
  OAuthScope,
  RefreshTokenRotationConfig,
  TimeoutOptions,
  UserConfig,
} from './options'

export interface ResolvedClient extends ClientLogin {
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
  codeReuseRevokesTokens: boolean
  maxBodyBytes: number
}

export interface ResolvedConfig {
  port: number
  host: string
  userPoolId: string
  region: string
  users: readonly UserConfig[]
  mfa: 'OFF' | 'OPTIONAL' | 'ON'
  firstAuthFactors: readonly string[]
  clients: readonly ResolvedClient[]
  behaviour: ResolvedBehaviour
  managedLogin: ResolvedManagedLogin
  seed: number
  control: boolean
  /** Normalised origins (`scheme://host:port`) allowed to call the control routes. */
  controlOrigins: ReadonlySet<string>
  /** Lowercase host names accepted besides loopback on the control routes. */
  controlHosts: ReadonlySet<string>
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number }
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

/** The playground's page, where the demo clients' managed login returns. */
const demoPageUrls = ['http://127.0.0.1:5173/', 'http://localhost:5173/']

export const demoClients: readonly AppClientConfig[] = [
  {
    clientId: demoRotatingClientId,
    clientName: 'demo (rotation on)',
    explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
    refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 10 },
    callbackURLs: demoPageUrls,
    logoutURLs: demoPageUrls,
  },
  {
    clientId: demoClassicClientId,
    clientName: 'demo (rotation off)',
    explicitAuthFlows: [
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ],
    callbackURLs: demoPageUrls,
    logoutURLs: demoPageUrls,
  },
]

const thirtyDays = 30 * 86_400
const poolIdPattern = /^[\w-]+_[0-9a-zA-Z]+$/
const clientIdPattern = /^[\w+]+$/

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
        ? ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']
        : ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
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
    ...resolveClientLogin(client, where),
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
  const mfa = options.mfa ?? 'OPTIONAL'
  if (!['OFF', 'OPTIONAL', 'ON'].includes(mfa)) fail("mfa must be 'OFF', 'OPTIONAL' or 'ON'.")
  const b = options.behaviour ?? {}
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('port must be 0..65535.')
  return {
    port,
    host: options.host ?? '127.0.0.1',
    userPoolId,
    region,
    users,
    mfa,
    firstAuthFactors: options.firstAuthFactors ?? ['PASSWORD'],
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
      codeReuseRevokesTokens: b.codeReuseRevokesTokens ?? true,
      maxBodyBytes: integer(
        b.maxBodyBytes,
        'behaviour.maxBodyBytes',
        1024,
        64 * 1024 * 1024,
        1024 * 1024,
      ),
    },
    managedLogin: resolveManagedLogin(options.managedLogin),
    seed: options.seed ?? 1,
    control: options.control ?? true,
    controlOrigins: resolveOrigins(options.controlOrigins),
    controlHosts: resolveHosts(options.controlHosts),
    timeouts: resolveTimeouts(options.timeouts),
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
