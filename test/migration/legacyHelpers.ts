/** amazon-cognito-identity-js signing in against the emulator, into a Storage-like Map. */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js'
import type { Emulator } from '../../src/emulator'
import { password, username } from '../transports/emulatorSetup'

export function mapStorage() {
  const map = new Map<string, string>()
  return {
    map,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, String(value)),
    removeItem: (key: string) => void map.delete(key),
    clear: () => map.clear(),
  }
}

export type MapStorage = ReturnType<typeof mapStorage>

export function legacyPool(emu: Emulator, clientId: string, storage?: MapStorage) {
  return new CognitoUserPool({
    UserPoolId: emu.userPoolId,
    ClientId: clientId,
    endpoint: `${emu.url}/`,
    ...(storage && { Storage: storage }),
  })
}

/** Signs in with USER_PASSWORD_AUTH; the package writes its real keys into `storage`. */
export function identityJsSignIn(
  emu: Emulator,
  clientId: string,
  storage: MapStorage,
): Promise<CognitoUserSession> {
  const pool = legacyPool(emu, clientId, storage)
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage })
  user.setAuthenticationFlowType('USER_PASSWORD_AUTH')
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  )
}

/** What amazon-cognito-identity-js's own getSession makes of the stored keys. */
export function identityJsSession(
  emu: Emulator,
  clientId: string,
  storage: MapStorage,
): Promise<CognitoUserSession | null> {
  const user = legacyPool(emu, clientId, storage).getCurrentUser()
  if (user === null) return Promise.resolve(null)
  return new Promise((resolve, reject) =>
    user.getSession((error: Error | null, session: CognitoUserSession | null) =>
      error ? reject(error) : resolve(session),
    ),
  )
}
