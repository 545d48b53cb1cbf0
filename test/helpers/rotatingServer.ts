import { AuthError, type AuthErrorCode } from '../../src/core/errors'
import type { AuthenticationResult } from '../../src/core/tokens'
import type { Transport } from '../../src/core/transports/types'
import { authResult } from './tokens'

/**
 * A fake Cognito for many tabs: refresh-token rotation with a retry grace period (a rotated-away
 * token still works for `graceSeconds` and gets the same successor back, as Cognito does), revoke
 * by family, injected faults, and a record of every call. Records name tokens by family and
 * position (`f2#3`), never by their value, so a failure message carries no token material.
 */
export type CallOutcome =
  /** A fresh token was exchanged and rotated. */
  | 'rotated'
  /** A rotated-away token inside the grace period: the same successor was returned. */
  | 'grace'
  /** RefreshTokenReuseException: rotated away and past the grace period. */
  | 'reuse'
  /** NotAuthorizedException: revoked or unknown. */
  | 'notAuthorized'
  /** An injected retryable failure; nothing changed on the server. */
  | 'transient'
  /** An injected terminal answer (e.g. the user was disabled). */
  | 'injectedTerminal'

export interface ServerCall {
  seq: number
  at: number
  /** Which client instance called (see `transportFor`). */
  caller: number
  family: number | undefined
  /** Position of the presented token in its family: 1 for the sign-in token. */
  position: number | undefined
  outcome: CallOutcome
  /** The reply was lost: the caller closed before it arrived. */
  lost: boolean
}

interface TokenRecord {
  family: number
  position: number
  rotatedAt: number | undefined
  successor: string | undefined
  successorResult: AuthenticationResult | undefined
}

export interface RotatingServerOptions {
  now: () => number
  /** Access-token lifetime in seconds. */
  expiresIn: number
  graceSeconds: number
  sub?: string
}

export function createRotatingServer(options: RotatingServerOptions) {
  const tokens = new Map<string, TokenRecord>()
  const revokedFamilies = new Set<number>()
  const calls: ServerCall[] = []
  /** Families by the session ids the clients gave them, for the invariants. */
  let families = 0
  let seq = 0
  let transientRate = 0
  let random: () => number = Math.random
  const terminalQueue: AuthErrorCode[] = []

  // Whole seconds, rounded up: the JWT `exp` is then never before the client's `expiresAt`.
  const now = () => Math.ceil(options.now() / 1000) * 1000

  const mint = (family: number, position: number): AuthenticationResult => {
    const result = authResult({
      expiresIn: options.expiresIn,
      now: now(),
      sub: options.sub,
    })
    tokens.set(result.RefreshToken!, {
      family,
      position,
      rotatedAt: undefined,
      successor: undefined,
      successorResult: undefined,
    })
    return result
  }

  const record = (caller: number, token: TokenRecord | undefined, outcome: CallOutcome) => {
    const call: ServerCall = {
      seq: ++seq,
      at: options.now(),
      caller,
      family: token?.family,
      position: token?.position,
      outcome,
      lost: false,
    }
    calls.push(call)
    return call
  }

  /** One refresh as the server sees it: returns the reply or the error, and records the call. */
  function exchange(
    caller: number,
    refreshToken: string,
  ): { call: ServerCall; result?: AuthenticationResult; error?: AuthError } {
    const token = tokens.get(refreshToken)
    if (transientRate > 0 && random() < transientRate) {
      return {
        call: record(caller, token, 'transient'),
        error: new AuthError('InternalErrorException', 'InternalErrorException: injected'),
      }
    }
    const terminal = terminalQueue.shift()
    if (terminal !== undefined) {
      return {
        call: record(caller, token, 'injectedTerminal'),
        error: new AuthError(terminal, `${terminal}: injected`),
      }
    }
    if (token === undefined || revokedFamilies.has(token.family)) {
      return {
        call: record(caller, token, 'notAuthorized'),
        error: new AuthError('NotAuthorizedException', 'Invalid Refresh Token.'),
      }
    }
    if (token.rotatedAt !== undefined) {
      if (options.now() < token.rotatedAt + options.graceSeconds * 1000) {
        return { call: record(caller, token, 'grace'), result: { ...token.successorResult! } }
      }
      return {
        call: record(caller, token, 'reuse'),
        error: new AuthError('RefreshTokenReuseException', 'Refresh token has been rotated.'),
      }
    }
    const result = mint(token.family, token.position + 1)
    token.rotatedAt = options.now()
    token.successor = result.RefreshToken
    token.successorResult = result
    return { call: record(caller, token, 'rotated'), result: { ...result } }
  }

  return {
    calls,
    /** A sign-in: a new token family. */
    signIn(): { result: AuthenticationResult; family: number } {
      const family = ++families
      return { result: mint(family, 1), family }
    },
    familyOf(refreshToken: string): number | undefined {
      return tokens.get(refreshToken)?.family
    },
    positionOf(refreshToken: string): number | undefined {
      return tokens.get(refreshToken)?.position
    },
    revokeFamily(family: number) {
      revokedFamilies.add(family)
    },
    isRevoked: (family: number) => revokedFamilies.has(family),
    /** Probability of an injected InternalErrorException per call (0 turns it off). */
    setTransientRate(rate: number, rng: () => number = Math.random) {
      transientRate = rate
      random = rng
    },
    /** The next call is answered with this terminal error whatever it presents. */
    failNextTerminal(code: AuthErrorCode = 'NotAuthorizedException') {
      terminalQueue.push(code)
    },
    exchange,
    /**
     * The transport of one client instance. `holdNext()` keeps the next call waiting until
     * `settle()` (the reply arrives) or `abandon()` (the tab closed: the reply is lost, and the
     * server may or may not have processed the request).
     */
    transportFor(caller: number) {
      let holdNext: 'early' | 'late' | undefined
      let pending: { settle(): void; abandon(processed: boolean): void } | undefined
      const answer = (outcome: ReturnType<typeof exchange>) =>
        outcome.error ? Promise.reject(outcome.error) : Promise.resolve(outcome.result!)
      const transport: Transport = {
        name: `fake-server#${caller}`,
        refresh({ refreshToken }) {
          const hold = holdNext
          holdNext = undefined
          if (hold === undefined) return answer(exchange(caller, refreshToken))
          // 'early': the server handles the request now and the reply is on its way;
          // 'late': the request is on its way and the server handles it when it arrives.
          const early = hold === 'early' ? exchange(caller, refreshToken) : undefined
          return new Promise<AuthenticationResult>((resolve, reject) => {
            pending = {
              settle() {
                pending = undefined
                answer(early ?? exchange(caller, refreshToken)).then(resolve, reject)
              },
              abandon(processed) {
                pending = undefined
                // Never resolves: the page that would have heard the reply is gone.
                const call =
                  early?.call ?? (processed ? exchange(caller, refreshToken).call : undefined)
                if (call !== undefined) call.lost = true
              },
            }
          })
        },
        async revoke({ refreshToken }) {
          const family = tokens.get(refreshToken)?.family
          if (family !== undefined) revokedFamilies.add(family)
        },
      }
      return {
        transport,
        /** Holds the next call until `pending.settle()` or `pending.abandon()`. */
        holdNext(mode: 'early' | 'late' | undefined) {
          holdNext = mode
        },
        get pending() {
          return pending
        },
      }
    },
  }
}

export type RotatingServer = ReturnType<typeof createRotatingServer>
