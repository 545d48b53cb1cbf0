/**
 * A local Amazon Cognito user-pool emulator for tests and development (Node only). It speaks the
 * awsJson1_1 API (InitiateAuth, GetTokensFromRefreshToken, RevokeToken), /oauth2/token, the JWKS
 * and discovery documents, rotates refresh tokens, and injects faults on demand.
 *
 * The Cognito routes answer any page (CORS `*`, as Cognito does). The control routes
 * (`/_emulator/*`) answer Node and curl, and in a browser only the origins in `controlOrigins`;
 * they need a loopback Host (or one in `controlHosts`) and JSON writes.
 *
 * @example
 * const emu = await startEmulator()
 * // point the AWS SDK, amazon-cognito-identity-js or cognitoTransport at emu.url
 * await emu.stop()
 */
import type { AddressInfo } from 'node:net'
import { type EmulatorOptions, type ResolvedClient, type UserConfig, resolveConfig } from './config'
import { type Context, issuerOf, now } from './context'
import { FaultController } from './faults'
import { createRandom } from './random'
import { type ResetScope, resetEmulator } from './reset'
import { createEmulatorServer } from './server'
import { type EmulatorStats, StatsRecorder } from './stats'
import { Store } from './store'
import { createSigningKeys } from './tokens'
import { type SignInOptions, type SignInResult, messagesOf, signIn, updateUser } from './users'
import type { SentMessage } from './challenges/state'
import { totpCode } from './challenges/totp'

export interface Emulator {
  /** `http://127.0.0.1:<port>`: the endpoint for the AWS SDK and for `cognitoTransport`. */
  readonly url: string
  readonly port: number
  /** `<url>/<userPoolId>`: the `iss` claim of every token. */
  readonly issuer: string
  readonly jwksUri: string
  /** `<url>/oauth2/token` */
  readonly tokenEndpoint: string
  /** `<url>/api/profile`, the protected demo API. */
  readonly demoApiUrl: string
  readonly userPoolId: string
  readonly region: string
  /** The app clients, secrets included. */
  readonly clients: readonly ResolvedClient[]
  /** Run-time fault injection and the clock offset. */
  readonly faults: FaultController
  /** A snapshot of the counters and the refresh log. */
  stats(): EmulatorStats
  /** Back to the starting state; `scope` picks parts. @default everything */
  reset(scope?: ResetScope): void
  /** Adds a user, or replaces one with the same username. Returns its `sub`. */
  addUser(user: UserConfig): string
  updateUser(username: string, patch: Partial<Omit<UserConfig, 'username' | 'sub'>>): void
  deleteUser(username: string): boolean
  /** Signs a user in (USER_PASSWORD_AUTH, no faults, no challenges) and returns the AuthenticationResult. */
  signIn(options?: SignInOptions): Promise<SignInResult>
  /** The codes sent by SMS and email for MFA, oldest first; of one user with `username`. */
  messages(username?: string): SentMessage[]
  /** The code an authenticator app shows now for a base32 TOTP secret (on the emulator clock). */
  totpCode(secret: string): string
  /** Closes the server and every open connection. */
  stop(): Promise<void>
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const config = resolveConfig(options)
  const random = createRandom(config.seed)
  const ctx: Context = {
    config,
    store: new Store(config.users, config.region),
    keys: await createSigningKeys(config.freshSigningKeys),
    faults: new FaultController(random, options.faults),
    stats: new StatsRecorder(),
    random,
    baseUrl: '',
    log: options.log,
  }
  const server = createEmulatorServer(ctx)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  ctx.baseUrl = `http://${urlHost(config.host)}:${port}`
  const issuer = issuerOf(ctx)
  let stopped: Promise<void> | undefined
  return {
    url: ctx.baseUrl,
    port,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    tokenEndpoint: `${ctx.baseUrl}/oauth2/token`,
    demoApiUrl: `${ctx.baseUrl}/api/profile`,
    userPoolId: config.userPoolId,
    region: config.region,
    clients: config.clients,
    faults: ctx.faults,
    stats: () => ctx.stats.snapshot(),
    reset: (scope) => resetEmulator(ctx, scope),
    addUser: (user) => ctx.store.upsertUser(user).sub,
    updateUser: (username, patch) => void updateUser(ctx, username, patch),
    deleteUser: (username) => ctx.store.deleteUser(username),
    signIn: (signInOptions) => signIn(ctx, signInOptions),
    messages: (username) => messagesOf(ctx, username),
    totpCode: (secret) => totpCode(secret, now(ctx)),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return stopped
    },
  }
}

export type {
  AppClientConfig,
  BehaviourOptions,
  EmulatorOptions,
  ExplicitAuthFlow,
  RefreshTokenRotationConfig,
  ResolvedClient,
  TimeoutOptions,
  UserConfig,
} from './config'
export {
  demoClassicClientId,
  demoClients,
  demoRotatingClientId,
  demoUser,
  loadConfigFile,
} from './config'
export type { StatusCodeMode } from './errors'
export type { Fault, FaultController, FaultSettings, FaultSettingsInput } from './faults'
export type { ResetScope } from './reset'
export type { DemoApiOutcome, EmulatorStats, RefreshLogEntry } from './stats'
export type { SignInOptions, SignInResult } from './users'
export type { MfaType, UserMfaConfig } from './options'
export type { SentMessage } from './challenges/state'
export { secretHash } from './clientAuth'
