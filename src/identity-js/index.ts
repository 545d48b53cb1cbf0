/**
 * A transport on amazon-cognito-identity-js's own `CognitoUser.refreshSession`, for apps that
 * already ship that package (an optional peer dependency, loaded only by this entry). It sends
 * InitiateAuth REFRESH_TOKEN_AUTH, so it cannot serve a client that rotates refresh tokens and
 * never sends a SECRET_HASH; the package retries every error itself for about 6.5 s.
 * New apps should use `cognitoTransport`, which needs no extra package.
 */
import {
  CognitoRefreshToken,
  CognitoUser,
  type CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js'
import { AuthError } from '../core/errors'
import { systemClock } from '../core/platform/clock'
import type { AuthenticationResult } from '../core/tokens'
import type { RefreshRequest, Transport, TransportCallOptions } from '../core/transports/types'
import { authErrorOfIdentityJs } from './errors'

export { authErrorOfIdentityJs } from './errors'

export interface IdentityJsTransportOptions {
  /** The pool your app already builds: `new CognitoUserPool({ UserPoolId, ClientId, endpoint? })`. */
  pool: CognitoUserPool
  /**
   * Give up on a refresh after this long. The package cannot be aborted and retries every error
   * with backoff, so this is longer than the other transports' timeout.
   * @default 30000
   */
  timeoutMs?: number
}

/** A private, in-memory storage, so the package never touches localStorage on our behalf. */
function privateStorage(): ICognitoStorage {
  const map = new Map<string, string>()
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
  }
}

/**
 * Settles with the callback, the caller's abort, or the timeout (on the call's clock), whichever
 * comes first.
 */
function settle<T>(
  start: (callback: (error: unknown, value?: T) => void) => void,
  { signal, clock = systemClock }: TransportCallOptions,
  timeoutMs: number,
  secrets: readonly string[],
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void) => {
      clock.clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      fn()
    }
    const onAbort = () =>
      finish(() =>
        reject(new AuthError('AbortError', 'The request was aborted.', { kind: 'retryable' })),
      )
    const timer = clock.setTimeout(
      () => finish(() => reject(new AuthError('TimeoutError', `No reply within ${timeoutMs} ms.`))),
      timeoutMs,
    )
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      start((error, value) =>
        finish(() => (error ? reject(authErrorOfIdentityJs(error, secrets)) : resolve(value as T))),
      )
    } catch (error) {
      finish(() => reject(authErrorOfIdentityJs(error, secrets)))
    }
  })
}

function resultOf(session: CognitoUserSession, sent: string): AuthenticationResult {
  const access = session.getAccessToken()
  // The package drops ExpiresIn; exp - iat is the lifetime the server granted, free of local skew.
  const result: AuthenticationResult = {
    AccessToken: access.getJwtToken(),
    ExpiresIn: access.getExpiration() - access.getIssuedAt(),
    TokenType: 'Bearer',
    IdToken: session.getIdToken().getJwtToken(),
  }
  // The package copies the old refresh token into the result when none came back.
  const refreshToken = session.getRefreshToken().getToken()
  if (refreshToken !== sent && refreshToken !== '') result.RefreshToken = refreshToken
  return result
}

interface InternalClient {
  request(operation: string, params: unknown, callback: (error: unknown) => void): void
}

export function identityJsTransport(options: IdentityJsTransportOptions): Transport {
  const { pool } = options
  const timeoutMs = options.timeoutMs ?? 30_000
  const prefix = `CognitoIdentityServiceProvider.${pool.getClientId()}`
  const transport: Transport = {
    name: 'amazon-cognito-identity-js',
    refresh(request: RefreshRequest, call) {
      const storage = privateStorage()
      const username = request.username ?? 'user'
      if (request.deviceKey !== undefined) {
        // refreshSession reads DEVICE_KEY from storage under LastAuthUser.
        storage.setItem(`${prefix}.LastAuthUser`, username)
        storage.setItem(`${prefix}.${username}.deviceKey`, request.deviceKey)
      }
      const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage })
      return settle<CognitoUserSession>(
        (callback) =>
          user.refreshSession(
            new CognitoRefreshToken({ RefreshToken: request.refreshToken }),
            callback,
            request.clientMetadata,
          ),
        call,
        timeoutMs,
        [request.refreshToken],
      ).then((session) => resultOf(session, request.refreshToken))
    },
  }
  // The package's own HTTP client, as its signOut uses it; absent on an unexpected build.
  const client = (pool as unknown as { client?: Partial<InternalClient> }).client
  if (typeof client?.request === 'function') {
    const request = client.request.bind(client)
    transport.revoke = ({ refreshToken }, call) =>
      settle<void>(
        (callback) =>
          request('RevokeToken', { Token: refreshToken, ClientId: pool.getClientId() }, callback),
        call,
        timeoutMs,
        [refreshToken],
      )
  }
  return transport
}
