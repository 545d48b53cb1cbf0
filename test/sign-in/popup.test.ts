// @vitest-environment jsdom
/**
 * The popup's two ends on the manual clock, with a stand-in popup window: the opener's wait (by
 * message or by the popup's address), the user closing it, the timeout, messages that are not the
 * popup's, and the popup's hand-over to its opener.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../../src/core/errors'
import { handToOpener, popupStatePrefix } from '../../src/sign-in/handOver'
import { popupCallback } from '../../src/sign-in/popup'
import { ManualClock } from '../helpers/manualClock'

const callbackUrl = `${location.origin}/callback?code=c0de&state=${popupStatePrefix}s1`

function fakePopup() {
  const popup = {
    closed: false,
    closes: 0,
    href: 'about:blank',
    /** A foreign origin's location throws on reading, as a browser's does. */
    foreign: false,
    close() {
      popup.closed = true
      popup.closes++
    },
    get location() {
      if (popup.foreign) throw new DOMException('Blocked a frame', 'SecurityError')
      return { href: popup.href }
    },
  }
  return popup
}

function wait(popup: ReturnType<typeof fakePopup>, clock: ManualClock, timeoutMs = 60_000) {
  const outcome = popupCallback(popup as unknown as Window, {
    clock,
    timeoutMs,
    isCallback: (url) => url.startsWith(`${location.origin}/callback?`),
  })
  // Settled or not, read without an unhandled rejection.
  return outcome.then(
    (url) => ({ url }),
    (error: unknown) => ({ error }),
  )
}

function message(source: unknown, data: unknown, origin = location.origin) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }))
}

const type = 'react-cognito-refresh:callback'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('popupCallback', () => {
  it('reads the callback from the popup once it is back on this origin, closes it, stops polling', async () => {
    const clock = new ManualClock()
    const popup = fakePopup()
    popup.foreign = true
    const settled = wait(popup, clock)
    await clock.advance(1_000)
    expect(popup.closes).toBe(0)
    popup.foreign = false
    popup.href = callbackUrl
    await clock.advance(100)
    expect(await settled).toEqual({ url: callbackUrl })
    expect(popup.closes).toBe(1)
    expect(clock.pendingTimers).toBe(0)
  })

  it("takes the popup's message, and only the popup's, of this origin and type", async () => {
    const clock = new ManualClock()
    const popup = fakePopup()
    popup.foreign = true
    let done = false
    const settled = wait(popup, clock).finally(() => {
      done = true
    })
    message({}, { type, url: callbackUrl }) // another window
    message(popup, { type, url: callbackUrl }, 'https://evil.example') // another origin
    message(popup, { type: 'other-library', url: callbackUrl })
    message(popup, { type, url: `${location.origin}/elsewhere?code=x&state=y` })
    message(popup, 'a string')
    message(popup, null)
    await clock.advance(300)
    expect(done).toBe(false)
    message(popup, { type, url: callbackUrl })
    expect(await settled).toEqual({ url: callbackUrl })
    expect(popup.closes).toBe(1)
    expect(clock.pendingTimers).toBe(0)
  })

  it('the user closes the popup: SignInCancelled, and the wait ends', async () => {
    const clock = new ManualClock()
    const popup = fakePopup()
    const settled = wait(popup, clock)
    await clock.advance(500)
    popup.closed = true
    await clock.advance(100)
    const { error } = (await settled) as { error: AuthError }
    expect(error).toBeInstanceOf(AuthError)
    expect(error.code).toBe('SignInCancelled')
    expect(error.kind).toBe('fatal')
    expect(clock.pendingTimers).toBe(0)
    // A late message from it is ignored: the listener is gone.
    message(popup, { type, url: callbackUrl })
  })

  it('times out on the injected clock: TimeoutError, the popup closed', async () => {
    const clock = new ManualClock()
    const popup = fakePopup()
    popup.foreign = true
    const settled = wait(popup, clock, 5_000)
    await clock.advance(4_900)
    expect(popup.closes).toBe(0)
    await clock.advance(200)
    const { error } = (await settled) as { error: AuthError }
    expect(error.code).toBe('TimeoutError')
    expect(error.message).toContain('5000 ms')
    expect(popup.closes).toBe(1)
    expect(clock.pendingTimers).toBe(0)
  })
})

describe('handToOpener', () => {
  it("posts the popup sign-in's callback to a same-origin opener", () => {
    const posted: unknown[][] = []
    vi.stubGlobal('opener', {
      location: { origin: location.origin },
      postMessage: (...args: unknown[]) => posted.push(args),
    })
    expect(handToOpener(callbackUrl, `${popupStatePrefix}s1`)).toBe(true)
    expect(posted).toEqual([[{ type, url: callbackUrl }, location.origin]])
  })

  it("keeps a redirect's callback, and refuses a foreign or absent opener", () => {
    const posted: unknown[] = []
    const postMessage = (data: unknown) => posted.push(data)
    vi.stubGlobal('opener', { location: { origin: location.origin }, postMessage })
    expect(handToOpener(callbackUrl, 'redirect-state')).toBe(false)
    vi.stubGlobal('opener', { location: { origin: 'https://evil.example' }, postMessage })
    expect(handToOpener(callbackUrl, `${popupStatePrefix}s1`)).toBe(false)
    vi.stubGlobal('opener', {
      get location(): never {
        throw new DOMException('Blocked a frame', 'SecurityError')
      },
      postMessage,
    })
    expect(handToOpener(callbackUrl, `${popupStatePrefix}s1`)).toBe(false)
    vi.stubGlobal('opener', null)
    expect(handToOpener(callbackUrl, `${popupStatePrefix}s1`)).toBe(false)
    expect(posted).toEqual([])
  })
})
