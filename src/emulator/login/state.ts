/** Managed login's server-side state: one-time authorization codes and sign-in sessions. */

export interface CodeRecord {
  readonly clientId: string
  /** The `redirect_uri` of the authorize request, which the token request must repeat. */
  readonly redirectUri: string
  /** The S256 `code_challenge`, when one was sent. */
  readonly codeChallenge: string | undefined
  readonly username: string
  readonly scopes: readonly string[]
  readonly nonce: string | undefined
  /** Seconds, the sign-in. */
  readonly authTime: number
  /** Emulator-clock ms. */
  readonly expiresAt: number
  /** Set at the first redemption: the token family it started, if it succeeded. */
  redeemed: { originJti: string | undefined } | undefined
}

export interface LoginSession {
  readonly username: string
  /** Seconds, when the user typed the password. */
  readonly authTime: number
  /** Emulator-clock ms. */
  readonly expiresAt: number
}

export class LoginState {
  readonly codes = new Map<string, CodeRecord>()
  readonly sessions = new Map<string, LoginSession>()

  clear(): void {
    this.codes.clear()
    this.sessions.clear()
  }

  /** Drops expired entries so a long-running emulator does not grow without end. */
  sweep(nowMs: number): void {
    for (const [code, record] of this.codes) {
      // A redeemed code is kept until it expires, so a replay is recognised as one.
      if (nowMs >= record.expiresAt) this.codes.delete(code)
    }
    for (const [id, session] of this.sessions) {
      if (nowMs >= session.expiresAt) this.sessions.delete(id)
    }
  }
}
