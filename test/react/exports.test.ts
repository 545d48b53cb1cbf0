import { describe, expect, it } from 'vitest'
import * as core from '../../src/core/index'
import * as root from '../../src/index'
import * as migration from '../../src/migration/index'
import * as react from '../../src/react/index'
import * as server from '../../src/server/index'
import * as serverAdmin from '../../src/server/admin/index'
import * as signIn from '../../src/sign-in/index'
import * as signInReact from '../../src/sign-in/react/index'
import * as signInSrp from '../../src/sign-in/srp/index'
import * as transports from '../../src/transports/index'
import * as worker from '../../src/worker/index'

const values = (entry: object) => Object.keys(entry).sort()

describe('the public entries', () => {
  it('the root holds what a React app needs: at most 15 values', () => {
    expect(values(root)).toEqual(
      [
        'AuthError',
        'AuthProvider',
        'cognitoTransport',
        'createAuthClient',
        'createAuthFetch',
        'isAuthError',
        'shallowEqual',
        'toAuthError',
        'useAuth',
        'useAuthClient',
        'useAuthFetch',
        'useAuthState',
        'useTokens',
      ].sort(),
    )
    expect(values(root).length).toBeLessThanOrEqual(15)
    // The same objects as the entries they come from, not copies.
    for (const name of values(root)) {
      const from = { ...core, ...react } as Record<string, unknown>
      expect(root[name as keyof typeof root], name).toBe(from[name])
    }
  })

  it('./transports has every transport, ./migration the legacy helpers, ./core the low level', () => {
    expect(values(transports)).toEqual(
      [
        'backendSession',
        'backendTransport',
        'cognitoTransport',
        'cookieRefreshToken',
        'customTransport',
        'initiateAuthTransport',
        'oauth2Transport',
        'secretHash',
        'toAuthenticationResult',
      ].sort(),
    )
    expect(values(signIn)).toEqual([
      'createSignIn',
      'getUserAuthFactors',
      'managedLogin',
      'signInWithPopup',
    ])
    expect(values(worker)).toEqual(['refreshWorker', 'serveRefreshWorker'])
    expect(values(signInReact)).toEqual(['useSignIn'])
    expect(values(signInSrp)).toEqual(['srp'])
    expect(values(server)).toEqual([
      'authProxy',
      'createAuthHandlers',
      'lambdaHandler',
      'nodeHandler',
    ])
    expect(values(serverAdmin)).toEqual(['adminInitiateAuthTransport'])
    expect(values(migration)).toEqual(
      [
        'adoptLegacySession',
        'clearLegacySession',
        'legacyWriteBack',
        'migrateLegacySession',
      ].sort(),
    )
    expect(values(core)).toEqual(
      [
        'AuthError',
        'broadcastChannel',
        'browserLifecycle',
        'classify',
        'cognitoErrorCodes',
        'cognitoTransport',
        'createAuthClient',
        'createAuthFetch',
        'isAuthError',
        'loadingSnapshot',
        'localStorageAdapter',
        'memoryStorage',
        'noChannel',
        'noLifecycle',
        'noLock',
        'sessionStorageAdapter',
        'systemClock',
        'toAuthError',
        'userOf',
        'webLock',
      ].sort(),
    )
    expect(core.cognitoTransport).toBe(transports.cognitoTransport)
  })
})
