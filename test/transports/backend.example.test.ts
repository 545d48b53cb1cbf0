import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { memoryStorage } from '../../src/core/platform/storage'
import {
  backendSession,
  backendTransport,
  cookieRefreshToken,
} from '../../src/core/transports/backend'
import { clients, password, useEmulator, username } from './emulatorSetup'
import { cookieJarFetch, startExampleBackend } from './exampleBackend'

const env = useEmulator()
let backend: Awaited<ReturnType<typeof startExampleBackend>>
beforeAll(async () => {
  backend = await startExampleBackend({ endpoint: `${env.emu.url}/`, clientId: clients.rotating })
})
afterAll(() => backend.close())

describe('docs/examples/custom-backend.md: refresh through your backend, refresh token in an HttpOnly cookie', () => {
  it('signs in, refreshes with rotation, and signs out without the page ever holding the refresh token', async () => {
    const browser = cookieJarFetch()
    const headers = { 'x-requested-with': 'fetch' }
    const storage = memoryStorage()
    const client = createAuthClient({
      clientId: clients.rotating,
      transport: backendTransport({
        url: `${backend.url}/api/auth/refresh`,
        revokeUrl: `${backend.url}/api/auth/logout`,
        headers,
        fetch: browser.fetch,
      }),
      storage,
      environment: {
        lock: noLock,
        channel: noChannel,
        lifecycle: noLifecycle,
      },
    })

    // Sign-in: the app posts credentials to its backend and hands the reply to the client.
    const login = await browser.fetch(`${backend.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      credentials: 'include',
    })
    expect(login.status).toBe(200)
    const signedIn = client.setSession(backendSession(await login.json()))
    expect(signedIn.refreshToken).toBe(cookieRefreshToken)
    expect(browser.setCookies[0]).toMatch(/; HttpOnly;/)
    const firstCookie = browser.jar.get('rt')

    // Refreshes go through the backend, which rotates the cookie; the client keeps the placeholder.
    const refreshed = await client.refresh({ force: true })
    expect(refreshed.accessToken).not.toBe(signedIn.accessToken)
    expect(refreshed.refreshToken).toBe(cookieRefreshToken)
    expect(browser.jar.get('rt')).not.toBe(firstCookie)
    await client.refresh({ force: true })
    expect(env.emu.stats().calls.GetTokensFromRefreshToken?.ok).toBe(2)
    const blob = storage.getItem(`react-cognito-refresh.${clients.rotating}`) ?? ''
    expect(blob).toContain(cookieRefreshToken)
    expect(blob).not.toContain(decodeURIComponent(browser.jar.get('rt')!))

    // Sign-out: the backend revokes and clears the cookie; the session is over everywhere.
    const revokeFailed: unknown[] = []
    client.on('revokeFailed', (e) => revokeFailed.push(e))
    await client.signOut()
    expect(revokeFailed).toEqual([])
    expect(browser.jar.has('rt')).toBe(false)
    client.dispose()
  })

  it('ends the session on 401 (no cookie), and keeps it through a backend outage', async () => {
    const browser = cookieJarFetch()
    const transport = backendTransport({
      url: `${backend.url}/api/auth/refresh`,
      headers: () => ({ 'x-requested-with': 'fetch' }),
      fetch: browser.fetch,
    })
    const noCookie = await transport
      .refresh({ refreshToken: cookieRefreshToken }, { signal: new AbortController().signal })
      .catch((e: unknown) => e)
    expect(noCookie).toMatchObject({
      code: 'NotAuthorizedException',
      kind: 'terminal',
      status: 401,
    })

    await browser.fetch(`${backend.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'x-requested-with': 'fetch', 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    env.emu.faults.failNext({ kind: 'error', code: 'InternalErrorException' })
    const outage = await transport
      .refresh({ refreshToken: cookieRefreshToken }, { signal: new AbortController().signal })
      .catch((e: unknown) => e)
    expect(outage).toMatchObject({ code: 'HttpError', kind: 'retryable', status: 503 })
    expect(browser.jar.has('rt')).toBe(true)
  })
})
