/**
 * Device keys survive: adopted from either legacy library with all three keys, sent as DeviceKey
 * (DEVICE_KEY) on every refresh by every transport that can carry it, kept in our stored session,
 * and written back. Checked on the wire, against a 127.0.0.1 server that records each request.
 */
import { CognitoUserPool } from 'amazon-cognito-identity-js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { adoptLegacySession } from '../../src/migration/adoptLegacySession'
import type { LegacySource } from '../../src/migration/legacyKeys'
import { legacyWriteBack } from '../../src/migration/legacyWriteBack'
import { memoryStorage, type StorageAdapter } from '../../src/core/platform/storage'
import { parseSession } from '../../src/core/storedSession'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import type { Transport } from '../../src/core/transports/types'
import { identityJsTransport } from '../../src/identity-js'
import { raw, startScriptedServer } from '../helpers/scriptedServer'
import { authResult, fakeJwt } from '../helpers/tokens'
import { mapStorage } from './legacyHelpers'

const clientId = 'legacyclient00000000000001'
const prefix = `CognitoIdentityServiceProvider.${clientId}`
const user = '53c0eafe-5b70-4674-84f6-f24cbd120930'
const sub = '11111111-2222-4333-8444-555555555555'
const device = {
  deviceKey: 'us-east-1_3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
  deviceGroupKey: '-wt2ha1Zd',
  randomPasswordKey: 'bXlkZXZpY2VwYXNzd29yZC1vZi00MC1jaGFyYWN0ZXJz',
}
const amzJson = { 'Content-Type': 'application/x-amz-json-1.1' }

/** The keys each library leaves: the same names, `clockDrift` and a marker key differ. */
function legacyStorage(source: LegacySource) {
  const storage = mapStorage()
  const iat = Math.floor(Date.now() / 1000)
  const claims = { sub, iat, exp: iat + 3600 }
  const key = (name: string) => `${prefix}.${user}.${name}`
  storage.setItem(`${prefix}.LastAuthUser`, user)
  storage.setItem(key('accessToken'), fakeJwt({ ...claims, token_use: 'access', username: user }))
  storage.setItem(key('idToken'), fakeJwt({ ...claims, token_use: 'id', 'cognito:username': user }))
  storage.setItem(key('refreshToken'), 'legacy.refresh.token.value.x')
  storage.setItem(key('clockDrift'), '0')
  storage.setItem(key(source === 'amplify' ? 'signInDetails' : 'userData'), '{}')
  for (const [name, value] of Object.entries(device)) storage.setItem(key(name), value)
  return storage
}

const success = () => {
  const result = authResult({ sub, username: user, refreshToken: null })
  delete result.IdToken
  return raw(200, amzJson, JSON.stringify({ AuthenticationResult: result }))
}

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const clientWith = (transport: Transport, storage: StorageAdapter = memoryStorage()) =>
  createAuthClient({
    clientId,
    transport,
    storage,
    environment: {
      lock: noLock,
      channel: noChannel,
      lifecycle: noLifecycle,
    },
  })
const bodies = () =>
  server.requests.map(
    (r) => JSON.parse(r.body) as { DeviceKey?: string; AuthParameters: { DEVICE_KEY?: string } },
  )

describe.each(['amazon-cognito-identity-js', 'amplify'] as const)('migrating from %s', (source) => {
  it('carries all three device keys through adoption, refreshes, storage and write-back', async () => {
    const ours = memoryStorage()
    const transport = cognitoTransport({ clientId, endpoint: server.url })
    const client = clientWith(transport, ours)
    const adopted = adoptLegacySession(client, { clientId, storage: legacyStorage(source), source })
    expect(adopted).toMatchObject({ reason: null, username: user })
    expect(client.getSnapshot().tokens).toMatchObject(device)

    server.reply(success(), success())
    await client.refresh({ force: true })
    await client.refresh({ force: true })
    expect(bodies().map((b) => b.DeviceKey)).toEqual([device.deviceKey, device.deviceKey])
    expect(client.getSnapshot().tokens).toMatchObject(device)

    // Our stored session keeps them; a tab that starts from it sends the key as well.
    const stored = parseSession(ours.getItem(`react-cognito-refresh.${clientId}`))
    expect(stored.ok && stored.tokens).toMatchObject(device)
    const reopened = clientWith(transport, ours)
    reopened.mount()
    server.reply(success())
    await reopened.refresh({ force: true })
    expect(bodies()[2]!.DeviceKey).toBe(device.deviceKey)

    // And the legacy library gets them back.
    const back = mapStorage()
    const stop = legacyWriteBack(client, { clientId, storage: back, source, username: user })
    for (const [name, value] of Object.entries(device)) {
      expect(back.map.get(`${prefix}.${user}.${name}`)).toBe(value)
    }
    stop()
    client.dispose()
    reopened.dispose()
  })
})

describe('every transport that can carry the device key sends it', () => {
  it('InitiateAuth: DEVICE_KEY in AuthParameters', async () => {
    const client = clientWith(initiateAuthTransport({ clientId, endpoint: server.url }))
    adoptLegacySession(client, { clientId, storage: legacyStorage('amplify') })
    server.reply(success())
    await client.refresh({ force: true })
    expect(bodies()[0]!.AuthParameters.DEVICE_KEY).toBe(device.deviceKey)
    client.dispose()
  })

  it('amazon-cognito-identity-js: DEVICE_KEY through its own refreshSession', async () => {
    const pool = new CognitoUserPool({
      UserPoolId: 'us-east-1_localDemo',
      ClientId: clientId,
      endpoint: server.url,
    })
    const client = clientWith(identityJsTransport({ pool }))
    adoptLegacySession(client, { clientId, storage: legacyStorage('amazon-cognito-identity-js') })
    const idToken = fakeJwt({ sub, 'cognito:username': user, token_use: 'id', iat: 1, exp: 9e9 })
    const result = { ...authResult({ sub, username: user, refreshToken: null }), IdToken: idToken }
    server.reply(raw(200, amzJson, JSON.stringify({ AuthenticationResult: result })))
    await client.refresh({ force: true })
    expect(bodies()[0]!.AuthParameters.DEVICE_KEY).toBe(device.deviceKey)
    client.dispose()
  })

  it("a session set without NewDeviceMetadata still sends the access token's device_key", async () => {
    const client = clientWith(cognitoTransport({ clientId, endpoint: server.url }))
    const iat = Math.floor(Date.now() / 1000)
    client.setSession({
      AccessToken: fakeJwt({
        sub,
        username: user,
        iat,
        exp: iat + 3600,
        device_key: device.deviceKey,
      }),
      ExpiresIn: 3600,
      RefreshToken: 'refresh.token.of.a.remembered.device',
    })
    server.reply(success())
    await client.refresh({ force: true })
    expect(bodies()[0]!.DeviceKey).toBe(device.deviceKey)
    client.dispose()
  })
})
