/**
 * What the bundler tests do in a page of an app: sign in at the emulator, refresh once with the
 * worker refresh mode, and tell whether the SharedWorker answered. The app puts what it imported on
 * `window.rcrLibrary`; nothing token-like leaves the page.
 */
import type { Browser } from 'playwright-core'
import { expect } from 'vitest'
import { demoUser, type Emulator, startEmulator } from '../../src/emulator/index'

export const workerClientId = 'bundlerworkerclient0000001'

export const startWorkerEmulator = () =>
  startEmulator({
    port: 0,
    clients: [
      {
        clientId: workerClientId,
        refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 },
      },
    ],
  })

const check = (endpoint: string) => `(async () => {
  const { createAuthClient, refreshWorker } = window.rcrLibrary
  const clientId = ${JSON.stringify(workerClientId)}, endpoint = ${JSON.stringify(endpoint)}
  const worker = refreshWorker({ transport: { type: 'cognito', clientId, endpoint } })
  const client = createAuthClient({ clientId, ...worker })
  const reply = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: ${JSON.stringify(demoUser.username)}, PASSWORD: ${JSON.stringify(demoUser.password)} },
    }),
  })
  client.setSession((await reply.json()).AuthenticationResult)
  const next = await client.refresh({ force: true })
  const result = { inWorker: worker.inWorker(), version: next.version }
  client.dispose()
  return result
})()`

/** Opens `url`, refreshes through the worker, and returns the worker script URLs the page loaded. */
export async function refreshThroughWorker(browser: Browser, emulator: Emulator, url: string) {
  const page = await browser.newPage()
  try {
    const workerFiles: string[] = []
    page.on('request', (r) => {
      if (/refresh-worker/.test(r.url())) workerFiles.push(r.url())
    })
    await page.goto(url)
    await page.waitForFunction('window.rcrLibrary !== undefined', undefined, { timeout: 60_000 })
    const before = emulator.stats().calls.GetTokensFromRefreshToken?.ok ?? 0
    expect(await page.evaluate(check(emulator.url))).toEqual({ inWorker: true, version: 2 })
    expect(emulator.stats().calls.GetTokensFromRefreshToken?.ok ?? 0).toBe(before + 1)
    return workerFiles
  } finally {
    await page.close()
  }
}
