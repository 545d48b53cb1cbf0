/**
 * The worker refresh mode end to end in Node: the tab side and `serveRefreshWorker` joined by real
 * MessagePorts (one per tab, as a SharedWorker gives), the Cognito transport over real HTTP to the
 * emulator, rotation on with no grace period. The browser test (test/e2e/worker.test.ts) does the
 * same with a real SharedWorker in Chromium.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AuthError, isAuthError } from '../../src/core/errors'
import { memoryStorage } from '../../src/core/platform/storage'
import { cognitoTransport } from '../../src/core/transports/cognito'
import type { TransportCallOptions } from '../../src/core/transports/types'
import type { Emulator } from '../../src/emulator'
import { isHandle } from '../../src/worker/keeper'
import { serveRefreshWorker } from '../../src/worker/host'
import { createRefreshWorker } from '../../src/worker/refreshWorker'
import { workerTag } from '../../src/worker/protocol'
import { rejection, start, stopEmulatorsAfterEach, user } from '../emulator/helpers'

stopEmulatorsAfterEach()

const clientId = 'workertestclient0000000001'
const ports: MessagePort[] = []
afterEach(() => {
  for (const port of ports.splice(0)) port.close()
})

/** A SharedWorker stand-in: every `connect()` is a tab's `new SharedWorker(…)`. */
function workerHub() {
  const listeners: Array<(event: MessageEvent) => void> = []
  serveRefreshWorker({ addEventListener: (_type, l) => void listeners.push(l) })
  function connect(): SharedWorker {
    const { port1, port2 } = new MessageChannel()
    ports.push(port1, port2)
    for (const listener of listeners) listener({ ports: [port2] } as unknown as MessageEvent)
    return Object.assign(new EventTarget(), {
      port: port1,
      onerror: null,
    }) as unknown as SharedWorker
  }
  return { connect }
}

async function emulator() {
  const emu = await start({
    users: [user],
    clients: [
      { clientId, refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } },
    ],
  })
  const session = await emu.signIn({ username: user.username, clientId })
  return { emu, token: session.RefreshToken }
}

const config = (emu: Emulator) => ({ type: 'cognito', clientId, endpoint: emu.url }) as const
const call = (signal = new AbortController().signal): TransportCallOptions => ({ signal })
const refreshCalls = (emu: Emulator) =>
  emu.stats().refreshes.filter((r) => r.operation === 'GetTokensFromRefreshToken')

describe('the worker refresh mode (MessagePorts, emulator over HTTP)', () => {
  it('a tab that stops waiting mid-refresh loses nothing: the next tab gets the successor, with no second call', async () => {
    const { emu, token } = await emulator()
    const hub = workerHub()
    const tabA = createRefreshWorker({ transport: config(emu) }, hub.connect)
    const tabB = createRefreshWorker({ transport: config(emu) }, hub.connect)
    emu.faults.set({ latencyMs: 300 })
    const closed = new AbortController()
    const a = tabA.transport.refresh({ refreshToken: token }, call(closed.signal))
    setTimeout(() => closed.abort(new AuthError('AbortError', 'The tab closed.')), 50)
    await expect(a).rejects.toMatchObject({ code: 'AbortError' })
    // The worker's call goes on and completes; its reply reaches no tab.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(refreshCalls(emu)).toHaveLength(1)
    const b = await tabB.transport.refresh({ refreshToken: token }, call())
    expect(b.RefreshToken).toBeTypeOf('string')
    expect(b.RefreshToken).not.toBe(token)
    expect(refreshCalls(emu)).toHaveLength(1)
    expect(refreshCalls(emu)[0]).toMatchObject({ rotated: true })
    // Proof that the token was spent with no grace: presented by a tab itself, it is reuse.
    const direct = createRefreshWorker({ transport: config(emu) }, () => undefined)
    await expect(direct.transport.refresh({ refreshToken: token }, call())).rejects.toMatchObject({
      code: 'RefreshTokenReuseException',
      kind: 'reuse',
    })
    expect(tabA.inWorker() && tabB.inWorker() && !direct.inWorker()).toBe(true)
  })

  it('connects at creation, so a tab that never refreshed keeps the worker alive', () => {
    let started = 0
    const hub = workerHub()
    createRefreshWorker({ transport: { type: 'cognito', clientId, region: 'us-east-1' } }, () => {
      started++
      return hub.connect()
    })
    expect(started).toBe(1)
  })

  it("carries the server's error as a typed AuthError, token-free", async () => {
    const { emu, token } = await emulator()
    const tab = createRefreshWorker({ transport: config(emu) }, workerHub().connect)
    emu.faults.set({ failNext: [{ kind: 'error', code: 'NotAuthorizedException' }] })
    const error = await tab.transport.refresh({ refreshToken: token }, call()).catch((e) => e)
    expect(isAuthError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal', status: 400 })
    expect(JSON.stringify(error)).not.toContain(token)
    emu.faults.set({ failNext: [{ kind: 'throttle', retryAfterSeconds: 2 }] })
    const throttled = await tab.transport.refresh({ refreshToken: token }, call()).catch((e) => e)
    expect(throttled).toMatchObject({
      code: 'TooManyRequestsException',
      kind: 'retryable',
      retryAfterMs: 2000,
    })
  })

  it('ignores messages that are not ours, and answers a malformed one of ours with a typed error', async () => {
    const hub = workerHub()
    const port = hub.connect().port
    const replies: unknown[] = []
    port.addEventListener('message', (e) => replies.push(e.data))
    port.start()
    port.postMessage({ type: 'refresh', id: 1 }) // another library's message
    port.postMessage('hello')
    port.postMessage({ tag: workerTag, id: 2, type: 'refresh', config: { type: 'cognito' } })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(replies).toEqual([
      expect.objectContaining({
        id: 2,
        ok: false,
        error: expect.objectContaining({ code: 'ConfigurationError' }),
      }),
    ])
  })

  it('runs the call in the tab where no worker can start, and where the worker fails to load', async () => {
    const { emu, token } = await emulator()
    const none = createRefreshWorker({ transport: config(emu) }, () => undefined)
    const next = await none.transport.refresh({ refreshToken: token }, call())
    expect(none.inWorker()).toBe(false)
    // A worker file that 404s, or a CSP without worker-src: the SharedWorker fires `error`.
    const broken = Object.assign(new EventTarget(), { port: new MessageChannel().port1 })
    ports.push(broken.port)
    const tab = createRefreshWorker(
      { transport: config(emu) },
      () => broken as unknown as SharedWorker,
    )
    const pending = tab.transport.refresh({ refreshToken: next.RefreshToken! }, call())
    broken.dispatchEvent(new Event('error'))
    expect((await pending).RefreshToken).not.toBe(next.RefreshToken)
    expect(tab.inWorker()).toBe(false)
    expect(refreshCalls(emu)).toHaveLength(2)
  })

  it('revokes through the worker: the token behind a handle is the one Cognito revokes', async () => {
    const { emu, token } = await emulator()
    const hub = workerHub()
    const tab = createRefreshWorker({ transport: config(emu), refreshToken: 'worker' }, hub.connect)
    const next = await tab.transport.refresh({ refreshToken: token }, call())
    await tab.transport.revoke!({ refreshToken: next.RefreshToken! }, call())
    expect(emu.stats().calls.RevokeToken).toEqual({ ok: 1 })
    // The worker forgot the token behind the handle: it cannot be refreshed again.
    const after = await rejection(
      tab.transport.refresh({ refreshToken: next.RefreshToken! }, call()),
    )
    expect(after).toMatchObject({ code: 'NoSession', kind: 'terminal' })
  })

  it('runs another transport type in the tab only through its `fallback`', async () => {
    const { emu, token } = await emulator()
    const oauth = { type: 'oauth2', clientId, domain: emu.url } as const
    const bare = createRefreshWorker({ transport: oauth }, () => undefined)
    await expect(bare.transport.refresh({ refreshToken: token }, call())).rejects.toMatchObject({
      code: 'ConfigurationError',
      kind: 'fatal',
    })
    const fallback = createRefreshWorker(
      { transport: oauth, fallback: cognitoTransport({ clientId, endpoint: emu.url }) },
      () => undefined,
    )
    expect(
      (await fallback.transport.refresh({ refreshToken: token }, call())).RefreshToken,
    ).not.toBe(token)
    expect(refreshCalls(emu)).toHaveLength(1)
  })

  describe("refreshToken: 'worker'", () => {
    it('stores a handle in place of the refresh token, and refreshes by the handle', async () => {
      const { emu, token } = await emulator()
      const hub = workerHub()
      const base = memoryStorage()
      const tab = createRefreshWorker(
        { transport: config(emu), refreshToken: 'worker', storage: base },
        hub.connect,
      )
      tab.storage.setItem('k', JSON.stringify({ format: 1, accessToken: 'a', refreshToken: token }))
      const stored = JSON.parse(base.getItem('k')!) as { refreshToken: string; accessToken: string }
      expect(isHandle(stored.refreshToken)).toBe(true)
      expect(stored.accessToken).toBe('a')
      expect(base.getItem('k')).not.toContain(token)
      // Another tab, with only what storage holds.
      const other = createRefreshWorker(
        { transport: config(emu), refreshToken: 'worker' },
        hub.connect,
      )
      const next = await other.transport.refresh({ refreshToken: stored.refreshToken }, call())
      expect(isHandle(next.RefreshToken!)).toBe(true)
      expect(refreshCalls(emu)).toHaveLength(1)
      // Writes that carry a handle already, or no session, pass through unchanged.
      tab.storage.setItem('k', JSON.stringify({ refreshToken: next.RefreshToken }))
      expect(JSON.parse(base.getItem('k')!)).toEqual({ refreshToken: next.RefreshToken })
      tab.storage.setItem('k', '{"signedOut":1}')
      expect(base.getItem('k')).toBe('{"signedOut":1}')
    })

    it('ends the session, typed, once no worker holds the token behind a handle', async () => {
      const { emu, token } = await emulator()
      const first = createRefreshWorker(
        { transport: config(emu), refreshToken: 'worker' },
        workerHub().connect,
      )
      const next = await first.transport.refresh({ refreshToken: token }, call())
      // Every tab closed: the worker is gone. A new one does not know the handle.
      const reopened = createRefreshWorker(
        { transport: config(emu), refreshToken: 'worker' },
        workerHub().connect,
      )
      await expect(
        reopened.transport.refresh({ refreshToken: next.RefreshToken! }, call()),
      ).rejects.toMatchObject({
        code: 'NoSession',
        kind: 'terminal',
      })
      // A worker that fails to load while a refresh by handle waits: the handle never reaches Cognito.
      const broken = Object.assign(new EventTarget(), { port: new MessageChannel().port1 })
      ports.push(broken.port)
      const failing = createRefreshWorker(
        { transport: config(emu), refreshToken: 'worker' },
        () => broken as unknown as SharedWorker,
      )
      const pending = failing.transport.refresh({ refreshToken: next.RefreshToken! }, call())
      broken.dispatchEvent(new Event('error'))
      await expect(pending).rejects.toMatchObject({ code: 'NoSession' })
      const noWorker = createRefreshWorker(
        { transport: config(emu), refreshToken: 'worker' },
        () => undefined,
      )
      await expect(
        noWorker.transport.refresh({ refreshToken: next.RefreshToken! }, call()),
      ).rejects.toMatchObject({
        code: 'NoSession',
      })
      expect(refreshCalls(emu)).toHaveLength(1)
    })
  })
})
