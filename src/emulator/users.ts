/** Test helpers on the user table and a sign-in that skips the wire (and the faults). */
import type { UserConfig } from './config'
import type { Context } from './context'
import { ServiceError } from './errors'
import { requireClient, secretHash } from './clientAuth'
import { signedIn } from './challenges/signIn'
import { passwordAuth } from './operations/passwordAuth'

export interface SignInOptions {
  /** @default the first configured user */
  username?: string
  /** @default the user's stored password */
  password?: string
  /** @default the first configured client */
  clientId?: string
}

export interface SignInResult {
  AccessToken: string
  ExpiresIn: number
  TokenType: string
  RefreshToken: string
  IdToken: string
  NewDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string }
}

export function updateUser(ctx: Context, username: string, patch: Partial<UserConfig>) {
  const user = ctx.store.users.get(username)
  if (user === undefined) throw new ServiceError('UserNotFoundException', 'User does not exist.')
  return ctx.store.upsertUser({
    username,
    password: patch.password ?? user.password,
    attributes: patch.attributes ?? user.attributes,
    enabled: patch.enabled ?? user.enabled,
    confirmed: patch.confirmed ?? user.confirmed,
    groups: patch.groups ?? user.groups,
    sub: user.sub,
    status: patch.status ?? user.status,
    mfa: patch.mfa ?? user.mfa,
  })
}

/**
 * Signs in through USER_PASSWORD_AUTH's own code, computing SECRET_HASH for confidential clients.
 * A challenge the user would get on the wire (a new password, MFA) is skipped.
 */
export async function signIn(ctx: Context, options: SignInOptions = {}): Promise<SignInResult> {
  const username = options.username ?? ctx.store.users.keys().next().value
  if (username === undefined)
    throw new ServiceError('UserNotFoundException', 'User does not exist.')
  const clientId = options.clientId ?? ctx.config.clients[0]?.clientId ?? ''
  const client = requireClient(ctx, clientId)
  const password = options.password ?? ctx.store.findUser(username)?.password ?? ''
  const params: Record<string, string> = { USERNAME: username, PASSWORD: password }
  if (client.clientSecret !== undefined) {
    params.SECRET_HASH = secretHash(client.clientSecret, username, client.clientId)
  }
  const reply = await passwordAuth(ctx, client, params)
  if ('AuthenticationResult' in reply) return reply.AuthenticationResult as SignInResult
  // A test helper: the challenges (a new password, MFA) are for the wire; here the user is in.
  const user = ctx.store.findUser(username)!
  return (await signedIn(ctx, client, user)).AuthenticationResult as SignInResult
}

/** The codes "sent" by SMS and email, oldest first; of one user with `username`. */
export function messagesOf(ctx: Context, username?: string) {
  const all = ctx.store.challenges.messages
  return (username === undefined ? all : all.filter((m) => m.username === username)).map((m) => ({
    ...m,
  }))
}
