/**
 * The state of InitiateAuth's challenges: the `Session` each challenge hands out (valid for 3
 * minutes, as Cognito's, and for a few wrong answers), and the codes "sent" by SMS and email,
 * which tests read through `emu.messages()` or `GET /_emulator/messages`.
 */
import { randomBytes } from 'node:crypto'
import type { SrpState } from './srp'

export type ChallengeName =
  | 'NEW_PASSWORD_REQUIRED'
  | 'SOFTWARE_TOKEN_MFA'
  | 'SMS_MFA'
  | 'EMAIL_OTP'
  | 'SELECT_MFA_TYPE'
  | 'MFA_SETUP'
  | 'SELECT_CHALLENGE'
  | 'SMS_OTP'

export const challengeNames: readonly ChallengeName[] = [
  'NEW_PASSWORD_REQUIRED',
  'SOFTWARE_TOKEN_MFA',
  'SMS_MFA',
  'EMAIL_OTP',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'SELECT_CHALLENGE',
  'SMS_OTP',
]

/** How long a challenge's Session is valid (Cognito: 3 minutes). */
export const sessionLifetimeMs = 3 * 60_000
/** Wrong answers a Session takes before it is spent. */
export const maxAttempts = 5

export interface ChallengeSession {
  challenge: ChallengeName
  username: string
  clientId: string
  expiresAt: number
  attempts: number
  /** The code sent for SMS_MFA or EMAIL_OTP. */
  code?: string
  /** What SELECT_MFA_TYPE (MFA types) or SELECT_CHALLENGE (first factors) offers. */
  choices?: readonly string[]
  /** MFA_SETUP: the secret AssociateSoftwareToken handed out, and whether it was verified. */
  pendingSecret?: string
  verified?: boolean
}

export interface SentMessage {
  username: string
  medium: 'SMS' | 'EMAIL'
  destination: string
  code: string
  /** Emulator epoch ms. */
  at: number
}

const maxMessages = 1000

/** A USER_SRP_AUTH sign-in between InitiateAuth and PASSWORD_VERIFIER, by its SECRET_BLOCK. */
export interface SrpPending extends SrpState {
  clientId: string
  expiresAt: number
}

export class ChallengeState {
  readonly sessions = new Map<string, ChallengeSession>()
  readonly srp = new Map<string, SrpPending>()
  readonly messages: SentMessage[] = []

  /** Stores `session` under a new opaque token (Cognito's are long base64 strings). */
  open(session: ChallengeSession): string {
    const token = randomBytes(96).toString('base64')
    this.sessions.set(token, session)
    return token
  }

  send(message: SentMessage): void {
    this.messages.push(message)
    if (this.messages.length > maxMessages) this.messages.shift()
  }

  clear(): void {
    this.sessions.clear()
    this.srp.clear()
    this.messages.length = 0
  }
}
