/**
 * Real clients over real HTTP: amazon-cognito-identity-js (sign-in and refreshSession) and this
 * library's own `cognitoTransport`, including how it classifies the emulator's failures.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js'
import { describe, expect, it } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { classic, decode, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

function memoryStorage(): ICognitoStorage {
  const items = new Map<string, string>()
  return {
    setItem: (key, value) => void items.set(key, value),
    getItem: (key) => items.get(key) ?? null,
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

describe('amazon-cognito-identity-js', () => {
  it('signs in with USER_PASSWORD_AUTH and refreshes the session with REFRESH_TOKEN_AUTH', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const Storage = memoryStorage()
    const pool = new CognitoUserPool({
      UserPoolId: emu.userPoolId,
      ClientId: classic.clientId,
      endpoint: emu.url,
      Storage,
    })
    const cognitoUser = new CognitoUser({ Username: user.username, Pool: pool, Storage })
    cognitoUser.setAuthenticationFlowType('USER_PASSWORD_AUTH')
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      cognitoUser.authenticateUser(
        new AuthenticationDetails({ Username: user.username, Password: user.password }),
        {
          onSuccess: resolve,
          onFailure: reject,
        },
      ),
    )
    expect(session.isValid()).toBe(true)
    emu.faults.set({ clockOffsetMs: 2_000 })
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      cognitoUser.refreshSession(
        session.getRefreshToken(),
        (error: Error | null, next: CognitoUserSession) =>
          error === null ? resolve(next) : reject(error),
      ),
    )
    expect(refreshed.getAccessToken().getJwtToken()).not.toBe(
      session.getAccessToken().getJwtToken(),
    )
    expect(refreshed.getRefreshToken().getToken()).toBe(session.getRefreshToken().getToken())
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(
      session.getAccessToken().decodePayload().origin_jti,
    )
    expect(emu.stats().refreshes).toMatchObject([{ operation: 'InitiateAuth', outcome: 'ok' }])
  })

  it('reports a wrong password with the service error code', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const Storage = memoryStorage()
    const pool = new CognitoUserPool({
      UserPoolId: emu.userPoolId,
      ClientId: classic.clientId,
      endpoint: emu.url,
      Storage,
    })
    const cognitoUser = new CognitoUser({ Username: user.username, Pool: pool, Storage })
    cognitoUser.setAuthenticationFlowType('USER_PASSWORD_AUTH')
    const error = await new Promise<{ code?: string; message: string }>((resolve) =>
      cognitoUser.authenticateUser(
        new AuthenticationDetails({ Username: user.username, Password: 'wrong' }),
        {
          onSuccess: () => resolve({ message: 'unexpected success' }),
          onFailure: resolve,
        },
      ),
    )
    expect(error.code).toBe('NotAuthorizedException')
    expect(error.message).toBe('Incorrect username or password.')
  })
})

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError)
    return error as AuthError
  }
  throw new Error('expected a rejection')
}

describe('cognitoTransport against the emulator', () => {
  const signal = new AbortController().signal

  it('refreshes, rotates and revokes', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const transport = cognitoTransport({ clientId: rotating.clientId, endpoint: emu.url })
    const result = await transport.refresh({ refreshToken: session.RefreshToken }, { signal })
    expect(result.ExpiresIn).toBe(3600)
    expect(result.RefreshToken).toBeDefined()
    expect(result.RefreshToken).not.toBe(session.RefreshToken)
    expect(decode(result.AccessToken).payload.origin_jti).toBe(
      decode(session.AccessToken).payload.origin_jti,
    )
    await transport.revoke?.({ refreshToken: result.RefreshToken ?? '' }, { signal })
    const revoked = await rejection(
      transport.refresh({ refreshToken: result.RefreshToken ?? '' }, { signal }),
    )
    expect(revoked.code).toBe('NotAuthorizedException')
    expect(revoked.kind).toBe('terminal')
  })

  it('classifies NotAuthorized, reuse, throttling, drops and proxy pages', async () => {
    const emu = await start({ users: [user], clients: [rotating, classic] })
    const transport = cognitoTransport({ clientId: rotating.clientId, endpoint: emu.url })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })

    const unknown = await rejection(
      transport.refresh({ refreshToken: 'abc.def.ghi.jkl.mno' }, { signal }),
    )
    expect([unknown.code, unknown.kind, unknown.status]).toEqual([
      'NotAuthorizedException',
      'terminal',
      400,
    ])
    expect(unknown.requestId).toMatch(/^[0-9a-f-]{36}$/)

    await transport.refresh({ refreshToken: session.RefreshToken }, { signal })
    emu.faults.set({ clockOffsetMs: 31_000 })
    const reuse = await rejection(
      transport.refresh({ refreshToken: session.RefreshToken }, { signal }),
    )
    expect([reuse.code, reuse.kind]).toEqual(['RefreshTokenReuseException', 'reuse'])
    emu.faults.clear()

    const fresh = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    emu.faults.failNext({ kind: 'throttle', retryAfterSeconds: 3 })
    const throttled = await rejection(
      transport.refresh({ refreshToken: fresh.RefreshToken }, { signal }),
    )
    expect([throttled.code, throttled.kind, throttled.retryAfterMs]).toEqual([
      'TooManyRequestsException',
      'retryable',
      3000,
    ])

    emu.faults.failNext({ kind: 'drop' })
    const dropped = await rejection(
      transport.refresh({ refreshToken: fresh.RefreshToken }, { signal }),
    )
    expect([dropped.code, dropped.kind]).toEqual(['NetworkError', 'retryable'])

    emu.faults.failNext({ kind: 'html' })
    const proxy = await rejection(
      transport.refresh({ refreshToken: fresh.RefreshToken }, { signal }),
    )
    expect([proxy.code, proxy.kind, proxy.status]).toEqual(['HttpError', 'retryable', 502])

    emu.faults.failNext({ kind: 'error', code: 'InternalErrorException' })
    const internal = await rejection(
      transport.refresh({ refreshToken: fresh.RefreshToken }, { signal }),
    )
    expect([internal.code, internal.kind, internal.status]).toEqual([
      'InternalErrorException',
      'retryable',
      500,
    ])

    // None of those faults consumed the token: it still refreshes.
    expect(
      (await transport.refresh({ refreshToken: fresh.RefreshToken }, { signal })).RefreshToken,
    ).toBeDefined()
    const wrongClient = cognitoTransport({ clientId: 'missingclient', endpoint: emu.url })
    const missing = await rejection(
      wrongClient.refresh({ refreshToken: fresh.RefreshToken }, { signal }),
    )
    expect([missing.code, missing.kind]).toEqual(['ResourceNotFoundException', 'fatal'])
  })

  it('times out against injected latency', async () => {
    const emu = await start({ users: [user], clients: [classic], faults: { latencyMs: 500 } })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const transport = cognitoTransport({
      clientId: classic.clientId,
      endpoint: emu.url,
      timeoutMs: 100,
    })
    const timeout = await rejection(
      transport.refresh({ refreshToken: session.RefreshToken }, { signal }),
    )
    expect(timeout.code).toBe('TimeoutError')
  })
})
