import { describe, expect, it } from 'vitest'
import { AuthError } from '../../../src/core/errors'
import { parseNote } from '../../../src/core/tabs/notes'
import { browser } from '../../helpers/browser'
import type { FakeTransport } from '../../helpers/fakeTransport'
import { flush, type ManualClock } from '../../helpers/manualClock'

const key = 'react-cognito-refresh.testclient'
const minute = 60_000

/** Every refresh fails with InternalErrorException after 50 ms on the wire, until `end()`. */
function outage(transport: FakeTransport, clock: ManualClock) {
  let on = true
  const working = transport.refresh.bind(transport)
  transport.refresh = (request, options) => {
    if (!on) return working(request, options)
    transport.calls.push(request)
    return new Promise<never>((_, reject) =>
      clock.setTimeout(() => reject(new AuthError('InternalErrorException', 'down')), 50),
    )
  }
  return () => void (on = false)
}

/** Cognito calls made by `n` tabs during a 10-minute outage that begins when the token is due. */
async function callsDuringOutage(n: number) {
  const { tabs, transport, clock } = browser(n, { expiresIn: 300 })
  tabs[0]!.client.setSession(transport.signIn())
  await flush()
  outage(transport, clock)
  await clock.advance(10 * minute)
  const signedIn = tabs.every((t) => t.client.getSnapshot().status === 'authenticated')
  return { calls: transport.calls.length, signedIn, tabs, transport, clock }
}

describe('failures are single-flight across tabs', () => {
  it('an outage costs Cognito the calls of one tab, however many tabs are open', async () => {
    const counts: number[] = []
    for (const n of [1, 2, 4, 8]) {
      const run = await callsDuringOutage(n)
      expect(run.signedIn).toBe(true) // a retryable failure never signs anyone out
      counts.push(run.calls)
    }
    // The backoff's jitter is drawn by whichever tab calls, so counts may differ by a call or two;
    // what must not happen is growth with the number of tabs (8 tabs made 8x the calls before).
    const [one, ...more] = counts
    expect(one).toBeGreaterThan(3)
    for (const calls of more) expect(calls).toBeLessThanOrEqual(one! + 2)
  })

  it('the tabs that wait show the failure and the shared retry time, and do not call', async () => {
    const { tabs, transport, clock } = browser(3, { expiresIn: 300 })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    outage(transport, clock)
    await clock.advance(5 * minute - 50_000) // every tab is past its due time
    const note = parseNote('backoff', tabs[0]!.storage.map.get(`${key}.backoff`) ?? null)
    expect(note).toMatchObject({ code: 'InternalErrorException', kind: 'retryable' })
    expect(note!.retryAt).toBeGreaterThan(clock.now())
    for (const tab of tabs) {
      expect(tab.client.getSnapshot()).toMatchObject({
        status: 'authenticated',
        refresh: 'retrying',
        error: expect.objectContaining({ kind: 'retryable' }),
      })
      // Every tab heard of the failure and when the next attempt is due.
      expect(tab.of('refreshFailed').at(-1)?.retryInMs).toBeGreaterThan(0)
    }
    // A read in any tab answers at once with the still-valid token, without a call.
    const before = transport.calls.length
    for (const tab of tabs) await expect(tab.client.getAccessToken()).resolves.toMatch(/^eyJ/)
    expect(transport.calls.length).toBe(before)
  })

  it('back online, one tab retries at once and the others follow its result', async () => {
    const { tabs, transport, clock } = browser(4, { expiresIn: 300 })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const end = outage(transport, clock)
    await clock.advance(5 * minute - 50_000)
    const failedCalls = transport.calls.length
    expect(failedCalls).toBeGreaterThan(0)
    end()
    for (const tab of tabs) tab.life.fire('online')
    await clock.advance(1_000)
    expect(transport.calls.length).toBe(failedCalls + 1)
    const versions = tabs.map((t) => t.client.getSnapshot().tokens?.version)
    expect(versions).toEqual([2, 2, 2, 2])
    for (const tab of tabs)
      expect(tab.client.getSnapshot()).toMatchObject({ refresh: 'idle', error: null })
  })

  it('an explicit refresh({ force: true }) goes past another tab’s backoff', async () => {
    const { tabs, transport, clock } = browser(2, { expiresIn: 300 })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    outage(transport, clock)
    await clock.advance(5 * minute - 50_000)
    const before = transport.calls.length
    const asked = tabs[1]!.client.refresh({ force: true }).catch((error: unknown) => error)
    await clock.advance(100)
    expect(await asked).toMatchObject({ code: 'InternalErrorException' })
    expect(transport.calls.length).toBe(before + 1)
  })
})

describe('an unusable reply', () => {
  /**
   * Calls made by `n` tabs while every reply is a 2xx whose tokens are not JWTs. Rotation off: with
   * rotation at grace 0, a reply that cannot be read loses the successor (the worker mode's issue).
   */
  async function unusable(n: number) {
    const { tabs, transport, clock } = browser(n, { expiresIn: 300, rotate: false })
    tabs[0]!.client.setSession(transport.signIn())
    await flush()
    const working = transport.refresh.bind(transport)
    transport.refresh = async (request, options) => {
      await working(request, options)
      return { AccessToken: 'not-a-jwt', ExpiresIn: 3600 }
    }
    await clock.advance(5 * minute - 50_000) // every tab is past its due time
    const note = parseNote('backoff', tabs[0]!.storage.map.get(`${key}.backoff`) ?? null)
    const signedIn = tabs.every((t) => t.client.getSnapshot().status === 'authenticated')
    return { calls: transport.calls.length, note, signedIn }
  }

  it('is backed off and noted like a failed call, so more tabs do not mean more calls', async () => {
    const one = await unusable(1)
    const four = await unusable(4)
    expect(four.note).toMatchObject({ code: 'InvalidResponse', version: 1 })
    expect(four.signedIn).toBe(true)
    expect(four.calls).toBeLessThanOrEqual(one.calls + 1)
  })
})
