/**
 * In-memory state: users, refresh tokens (grouped into families by `origin_jti`) and devices.
 * Times are the emulator clock's epoch ms (the real clock plus the configured offset).
 */
import { randomUUID } from 'node:crypto'
import type { UserConfig } from './config'
import type { UserMfaConfig } from './options'
import { ChallengeState } from './challenges/state'
import { LoginState } from './login/state'
import { opaqueRefreshToken } from './tokens'

export interface UserRecord {
  username: string
  password: string
  sub: string
  attributes: Record<string, string>
  enabled: boolean
  confirmed: boolean
  groups: string[]
  status: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD'
  mfa: UserMfaConfig
}

export interface RefreshRecord {
  readonly token: string
  readonly clientId: string
  readonly username: string
  /** The family: every token rotated from one sign-in shares it (the `origin_jti` claim). */
  readonly originJti: string
  /** Seconds, the original sign-in; kept across refreshes. */
  readonly authTime: number
  readonly issuedAt: number
  /** Absolute; a rotated successor keeps its predecessor's. */
  readonly expiresAt: number
  /** The sign-in came through the API (not the hosted UI); matters for /oauth2/token. */
  readonly viaApi: boolean
  deviceKey: string | undefined
  /** The OAuth scopes of a managed-login sign-in, kept in every refreshed access token. */
  readonly scopes?: readonly string[]
  revoked: boolean
  rotatedAt: number | undefined
  successor: string | undefined
}

export interface DeviceRecord {
  key: string
  groupKey: string
  username: string
}

export type NewRefresh = Omit<RefreshRecord, 'token' | 'revoked' | 'rotatedAt' | 'successor'>

export function userRecordOf(user: UserConfig): UserRecord {
  return {
    username: user.username,
    password: user.password,
    sub: user.sub ?? randomUUID(),
    attributes: { ...user.attributes },
    enabled: user.enabled ?? true,
    confirmed: user.confirmed ?? true,
    groups: [...(user.groups ?? [])],
    status: user.status ?? 'CONFIRMED',
    mfa: { ...user.mfa },
  }
}

export class Store {
  readonly users = new Map<string, UserRecord>()
  readonly tokens = new Map<string, RefreshRecord>()
  readonly families = new Map<string, Set<string>>()
  readonly devices = new Map<string, DeviceRecord>()
  /** Authorization codes and managed-login sessions. */
  readonly login = new LoginState()
  /** InitiateAuth's challenge sessions, and the codes sent by SMS and email. */
  readonly challenges = new ChallengeState()
  /** Fixed at start so a reset gives every user back the same `sub`. */
  readonly #initialUsers: readonly UserRecord[]
  readonly #region: string

  constructor(users: readonly UserConfig[], region: string) {
    this.#initialUsers = users.map(userRecordOf)
    this.#region = region
    this.resetUsers()
  }

  resetUsers(): void {
    this.users.clear()
    for (const user of this.#initialUsers) this.users.set(user.username, structuredClone(user))
  }

  resetTokens(): void {
    this.tokens.clear()
    this.families.clear()
    this.devices.clear()
    this.login.clear()
    this.challenges.clear()
  }

  /** Finds a user by username, else by the `email` alias. */
  findUser(name: string): UserRecord | undefined {
    const direct = this.users.get(name)
    if (direct !== undefined) return direct
    for (const user of this.users.values()) if (user.attributes.email === name) return user
    return undefined
  }

  /** Adds a user, or replaces the fields given for an existing one (keeping its `sub`). */
  upsertUser(user: UserConfig): UserRecord {
    const existing = this.users.get(user.username)
    const record = userRecordOf({ ...user, sub: user.sub ?? existing?.sub ?? randomUUID() })
    this.users.set(user.username, record)
    return record
  }

  deleteUser(username: string): boolean {
    return this.users.delete(username)
  }

  addRefreshToken(fields: NewRefresh): RefreshRecord {
    const record: RefreshRecord = {
      ...fields,
      token: opaqueRefreshToken(),
      revoked: false,
      rotatedAt: undefined,
      successor: undefined,
    }
    this.tokens.set(record.token, record)
    const family = this.families.get(record.originJti) ?? new Set<string>()
    family.add(record.token)
    this.families.set(record.originJti, family)
    return record
  }

  /** Revokes every token of a family (RevokeToken revokes the session, not one link of it). */
  revokeFamily(originJti: string): void {
    for (const token of this.families.get(originJti) ?? []) {
      const record = this.tokens.get(token)
      if (record !== undefined) record.revoked = true
    }
  }

  addDevice(username: string): DeviceRecord {
    const device: DeviceRecord = {
      key: `${this.#region}_${randomUUID()}`,
      groupKey: `-${randomUUID().replace(/-/g, '').slice(0, 9)}`,
      username,
    }
    this.devices.set(device.key, device)
    return device
  }
}
