/**
 * Managed login through the library, over real HTTP against the emulator: the authorize URL, the
 * emulator's sign-in form (driven as a browser would), the callback, and the sign-out.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { AuthError } from '../../src/core/errors'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { memoryStorage } from '../../src/core/platform/storage'
import { oauth2Transport } from '../../src/core/transports/oauth2'
import { type ManagedLoginOptions, managedLogin, signInWithPopup } from '../../src/sign-in'
import { start, stopEmulatorsAfterEach, user } from '../emulator/helpers'
import {
  Browser,
  callback,
  exchange,
  followAuthorize,
  signedOut,
  spa,
} from '../emulator/loginHelpers'

stopEmulatorsAfterEach()
afterEach(() => {
  vi.unstubAllGlobals()
})

const credentials = { username: user.username, password: user.password }

async function setup(options: { now?: () => number } = {}) {
  const emu = await start({ users: [user], clients: [spa] })
  const transport = oauth2Transport({ domain: emu.url, clientId: spa.clientId })
  const client = createAuthClient({
    clientId: spa.clientId,
    transport,
    storage: 'memory',
    versionMarker: false,
    environment: { lock: noLock, channel: noChannel, lifecycle: noLifecycle },
  })
  const pages: string[] = []
  const replaced: string[] = []
  const tokenCalls: string[] = []
  const pending = memoryStorage()
  const clock = {
    now: options.now ?? (() => Date.now()),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  }
  const opened: FakePopup[] = []
  const loginOptions: ManagedLoginOptions = {
    clientId: spa.clientId,
    domain: emu.url,
    redirectUri: callback,
    logoutUri: signedOut,
    scopes: ['openid', 'email'],
    storage: pending,
    clock,
    navigate: (url) => pages.push(url),
    replaceUrl: (url) => replaced.push(url),
    fetch: (input, init) => {
      tokenCalls.push(String(input))
      return fetch(input, init)
    },
  }
  /** A window whose `open` gives a stand-in popup that walks through the emulator's form. */
  const popupWindow = (
    open: () => unknown = () => {
      const popup = fakePopup(emu.url)
      opened.push(popup)
      return popup
    },
  ) => vi.stubGlobal('window', Object.assign(new EventTarget(), { open }))
  const login = managedLogin(client, loginOptions)
  return {
    emu,
    client,
    login,
    loginOptions,
    pages,
    replaced,
    tokenCalls,
    pending,
    transport,
    opened,
    popupWindow,
  }
}

/** Follows the authorize URL through the emulator's form; returns the callback URL it redirects to. */
function throughForm(authorizeUrl: string, emuUrl: string): Promise<string> {
  return followAuthorize(new Browser(), authorizeUrl, emuUrl, credentials)
}

/**
 * A popup window as the opener sees it: unreadable while on the emulator's origin, its address
 * readable once the emulator's form sent it back to the app's callback.
 */
function fakePopup(emuUrl: string) {
  const popup = {
    closed: false,
    at: 'about:blank',
    foreign: false,
    close() {
      popup.closed = true
    },
    /** Where the popup went, and the sign-in the user does there. */
    visits: [] as string[],
    get location() {
      if (popup.foreign) throw new Error('SecurityError: a cross-origin frame')
      return {
        get href() {
          return popup.at
        },
        set href(url: string) {
          popup.visits.push(url)
          popup.foreign = true
          void throughForm(url, emuUrl).then((back) => {
            popup.at = back
            popup.foreign = false
          })
        },
      }
    },
  }
  return popup
}
type FakePopup = ReturnType<typeof fakePopup>

/** The one pending entry's storage key and value (the test reaches into its own storage). */
function onlyPending(pending: ReturnType<typeof memoryStorage>, state: string) {
  const key = `react-cognito-refresh.${spa.clientId}.signIn.${state}`
  const raw = pending.getItem(key)
  expect(raw).not.toBeNull()
  return { key, value: JSON.parse(raw ?? '{}') as Record<string, unknown> }
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AuthError)
  return error as AuthError
}

describe('managedLogin against the emulator', () => {
  it('round trip: authorize with PKCE S256, the form, one exchange, the session stored, the URL cleaned', async () => {
    const { emu, client, login, pages, replaced, tokenCalls } = await setup()
    client.mount()
    await login.signInWithRedirect({ returnTo: '/inbox?tab=2', loginHint: user.username })
    expect(pages).toHaveLength(1)
    const authorize = new URL(pages[0] ?? '')
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${emu.url}/oauth2/authorize`)
    const q = authorize.searchParams
    expect(q.get('response_type')).toBe('code')
    expect(q.get('client_id')).toBe(spa.clientId)
    expect(q.get('redirect_uri')).toBe(callback)
    expect(q.get('scope')).toBe('openid email')
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(q.get('state')).toMatch(/^[\w-]{22}$/)
    expect(q.get('nonce')).toMatch(/^[\w-]{22}$/)
    expect(q.get('login_hint')).toBe(user.username)

    const back = await throughForm(pages[0] ?? '', emu.url)
    expect(new URL(back).searchParams.get('state')).toBe(q.get('state'))
    // StrictMode runs the effect twice: both calls get the one exchange.
    const [first, second] = await Promise.all([
      login.handleRedirectCallback(back),
      login.handleRedirectCallback(back),
    ])
    expect(tokenCalls).toEqual([`${emu.url}/oauth2/token`])
    expect(first?.returnTo).toBe('/inbox?tab=2')
    expect(second).toBe(first)
    expect(client.getSnapshot().status).toBe('authenticated')
    expect(client.getSnapshot().tokens?.idClaims?.email).toBe(user.attributes.email)
    expect(replaced).toHaveLength(1)
    expect(new URL(replaced[0] ?? '').search).toBe('')
    // The second effect may read the address bar after the first one cleaned it.
    expect(await login.handleRedirectCallback(replaced[0])).toBe(first)
    // The session refreshes through the same pool.
    const before = client.getSnapshot().tokens?.accessToken
    await client.refresh({ force: true })
    expect(client.getSnapshot().tokens?.accessToken).not.toBe(before)
    client.dispose()
  })

  it('is not a callback without state and code (or error): null, nothing touched', async () => {
    const { login, replaced, tokenCalls } = await setup()
    expect(await login.handleRedirectCallback(`${callback}?page=2`)).toBeNull()
    expect(await login.handleRedirectCallback(`${callback}?code=abc`)).toBeNull()
    expect(replaced).toEqual([])
    expect(tokenCalls).toEqual([])
  })

  it('a tampered state is refused before any exchange, and nothing is stored', async () => {
    const { emu, client, login, pages, tokenCalls } = await setup()
    await login.signInWithRedirect()
    const back = new URL(await throughForm(pages[0] ?? '', emu.url))
    back.searchParams.set('state', 'forged-state-value')
    const error = await rejection(login.handleRedirectCallback(back.toString()))
    expect(error.code).toBe('StateMismatch')
    expect(error.message).not.toContain(back.searchParams.get('code') ?? '')
    expect(tokenCalls).toEqual([])
    expect(client.getSnapshot().tokens).toBeNull()
  })

  it('a state is redeemed once: the callback loaded again (back button, reload) is refused', async () => {
    const { emu, login, pages, tokenCalls, client, pending } = await setup()
    await login.signInWithRedirect()
    const back = await throughForm(pages[0] ?? '', emu.url)
    await login.handleRedirectCallback(back)
    // A new page load: the module afresh (no in-page memo), the same tab's storage.
    vi.resetModules()
    const reloaded = await import('../../src/sign-in')
    const again = reloaded.managedLogin(client, {
      clientId: spa.clientId,
      domain: emu.url,
      redirectUri: callback,
      storage: pending,
      navigate: () => undefined,
      replaceUrl: () => undefined,
    })
    const { AuthError: ReloadedError } = await import('../../src/core/errors')
    const error: unknown = await again.handleRedirectCallback(back).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReloadedError)
    expect((error as AuthError).code).toBe('StateMismatch')
    expect(tokenCalls).toHaveLength(1)
    expect(client.getSnapshot().status).toBe('authenticated')
  })

  it('a replayed code: invalid_grant from the token endpoint, nothing stored', async () => {
    const { emu, client, login, pages, pending } = await setup()
    await login.signInWithRedirect()
    const back = new URL(await throughForm(pages[0] ?? '', emu.url))
    const state = back.searchParams.get('state') ?? ''
    const { value } = onlyPending(pending, state)
    // Someone redeemed the code first.
    const stolen = await exchange(emu, {
      client_id: spa.clientId,
      code: back.searchParams.get('code') ?? '',
      redirect_uri: callback,
      code_verifier: String(value.verifier),
    })
    expect(stolen.status).toBe(200)
    const error = await rejection(login.handleRedirectCallback(back.toString()))
    expect(error.code).toBe('invalid_grant')
    expect(client.getSnapshot().tokens).toBeNull()
  })

  it('a wrong verifier: invalid_grant, nothing stored, no secret in the message', async () => {
    const { emu, client, login, pages, pending } = await setup()
    await login.signInWithRedirect()
    const back = new URL(await throughForm(pages[0] ?? '', emu.url))
    const { key, value } = onlyPending(pending, back.searchParams.get('state') ?? '')
    const wrong = 'x'.repeat(43)
    pending.setItem(key, JSON.stringify({ ...value, verifier: wrong }))
    const error = await rejection(login.handleRedirectCallback(back.toString()))
    expect(error.code).toBe('invalid_grant')
    expect(JSON.stringify(error)).not.toContain(back.searchParams.get('code') ?? '')
    expect(client.getSnapshot().tokens).toBeNull()
  })

  it("an ID token whose nonce is not this sign-in's is refused, nothing stored", async () => {
    const { emu, client, login, pages, pending } = await setup()
    await login.signInWithRedirect()
    const back = new URL(await throughForm(pages[0] ?? '', emu.url))
    const { key, value } = onlyPending(pending, back.searchParams.get('state') ?? '')
    pending.setItem(key, JSON.stringify({ ...value, nonce: 'another-sign-in' }))
    const error = await rejection(login.handleRedirectCallback(back.toString()))
    expect(error.code).toBe('InvalidResponse')
    expect(error.message).toContain('nonce')
    expect(client.getSnapshot().tokens).toBeNull()
  })

  it('a sign-in older than maxSignInMs is refused as expired', async () => {
    let now = Date.now()
    const { emu, client, login, pages, tokenCalls } = await setup({ now: () => now })
    await login.signInWithRedirect()
    const back = await throughForm(pages[0] ?? '', emu.url)
    now += 600_001
    const error = await rejection(login.handleRedirectCallback(back))
    expect(error.code).toBe('StateMismatch')
    expect(error.message).toContain('expired')
    expect(tokenCalls).toEqual([])
    expect(client.getSnapshot().tokens).toBeNull()
  })

  it('the user cancels: SignInCancelled, and the started sign-in is dropped', async () => {
    const { login, pages, pending } = await setup()
    await login.signInWithRedirect()
    const browser = new Browser()
    const authorize = await browser.get(pages[0] ?? '')
    const form = await browser.get(authorize.location ?? '')
    // The page's Cancel link, as the user follows it.
    const href = /id="cancel" href="([^"]+)"/.exec(form.text)?.[1] ?? ''
    const back = new URL(href.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n)))
    expect(`${back.origin}${back.pathname}`).toBe(callback)
    expect(back.searchParams.get('error')).toBe('access_denied')
    const state = back.searchParams.get('state') ?? ''
    const error = await rejection(login.handleRedirectCallback(back.toString()))
    expect(error.code).toBe('SignInCancelled')
    expect(pending.getItem(`react-cognito-refresh.${spa.clientId}.signIn.${state}`)).toBeNull()
  })

  it('an unregistered redirect URI never comes back: the emulator refuses the authorize request', async () => {
    const { emu, client } = await setup()
    const stray = managedLogin(client, {
      clientId: spa.clientId,
      domain: emu.url,
      redirectUri: 'http://127.0.0.1:9/not-registered',
      storage: memoryStorage(),
      navigate: () => undefined,
    })
    const response = await fetch(await stray.authorizeUrl(), { redirect: 'manual' })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.headers.get('location')).toBeNull()
  })

  it('signOut revokes the refresh token, then goes to Cognito /logout, which returns to the app', async () => {
    const { emu, client, login, pages, transport } = await setup()
    client.mount()
    await login.signInWithRedirect()
    await login.handleRedirectCallback(await throughForm(pages[0] ?? '', emu.url))
    const refreshToken = client.getSnapshot().tokens?.refreshToken ?? ''
    await login.signOut()
    expect(client.getSnapshot().status).toBe('unauthenticated')
    const logout = new URL(pages[1] ?? '')
    expect(`${logout.origin}${logout.pathname}`).toBe(`${emu.url}/logout`)
    expect(logout.searchParams.get('client_id')).toBe(spa.clientId)
    expect(logout.searchParams.get('logout_uri')).toBe(signedOut)
    const followed = await fetch(logout, { redirect: 'manual' })
    expect(followed.headers.get('location')).toBe(signedOut)
    const revoked = await rejection(
      transport.refresh({ refreshToken }, { signal: new AbortController().signal }),
    )
    expect(revoked.code).toBe('invalid_grant')
    client.dispose()
  })

  it('signOut({ local: true }) ends the session here only, without leaving the page', async () => {
    const { emu, client, login, pages } = await setup()
    await login.signInWithRedirect()
    await login.handleRedirectCallback(await throughForm(pages[0] ?? '', emu.url))
    await login.signOut({ local: true })
    expect(client.getSnapshot().status).toBe('unauthenticated')
    expect(pages).toHaveLength(1)
  })

  it("completes the callback on the page's address as managedLogin runs, once, whoever asks", async () => {
    const { emu, client, login, loginOptions, pages, replaced, tokenCalls } = await setup()
    await login.signInWithRedirect({ returnTo: '/inbox' })
    const back = await throughForm(pages[0] ?? '', emu.url)
    // The page loads at the callback: the app creates its managedLogin, then renders.
    vi.stubGlobal('location', { href: back })
    const onLoad = managedLogin(client, loginOptions)
    expect(tokenCalls).toEqual([`${emu.url}/oauth2/token`])
    const result = await onLoad.handleRedirectCallback()
    expect(result?.returnTo).toBe('/inbox')
    expect(await onLoad.handleRedirectCallback(back)).toBe(result)
    expect(await onLoad.handleRedirectCallback(replaced[0])).toBe(result)
    expect(tokenCalls).toHaveLength(1)
    expect(replaced).toHaveLength(1)
    expect(client.getSnapshot().status).toBe('authenticated')
  })

  it('handleCallback: false leaves the callback to the app; an address that is not the redirect URI is left alone', async () => {
    const { emu, client, login, loginOptions, pages, tokenCalls, replaced } = await setup()
    await login.signInWithRedirect()
    const back = await throughForm(pages[0] ?? '', emu.url)
    vi.stubGlobal('location', { href: back })
    const manual = managedLogin(client, { ...loginOptions, handleCallback: false })
    // Another path with a code and a state (another library's callback) is not ours.
    vi.stubGlobal('location', { href: back.replace('/callback', '/other-callback') })
    managedLogin(client, loginOptions)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(tokenCalls).toEqual([])
    expect(replaced).toEqual([])
    expect(client.getSnapshot().tokens).toBeNull()
    expect((await manual.handleRedirectCallback(back))?.tokens.accessToken).toBeTruthy()
    expect(tokenCalls).toHaveLength(1)
  })

  it("signInWithPopup: the popup goes to managed login, the callback it reaches is completed here, the opener's address untouched", async () => {
    const { emu, client, login, opened, replaced, tokenCalls, pending, popupWindow } = await setup()
    popupWindow()
    const result = await signInWithPopup(login, { returnTo: '/here', loginHint: user.username })
    expect(opened).toHaveLength(1)
    const popup = opened[0] as FakePopup
    const authorize = new URL(popup.visits[0] ?? '')
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${emu.url}/oauth2/authorize`)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('state')).toMatch(/^p\.[\w-]{22}$/)
    expect(popup.closed).toBe(true)
    expect(result.returnTo).toBe('/here')
    expect(client.getSnapshot().tokens?.idClaims?.email).toBe(user.attributes.email)
    expect(tokenCalls).toEqual([`${emu.url}/oauth2/token`])
    expect(replaced).toEqual([])
    expect(
      pending.getItem(
        `react-cognito-refresh.${spa.clientId}.signIn.${authorize.searchParams.get('state')}`,
      ),
    ).toBeNull()
  })

  it('signInWithPopup: a blocked popup is a PopupBlocked error; a popup the user closes is SignInCancelled, its sign-in dropped', async () => {
    const { client, login, loginOptions, tokenCalls, popupWindow } = await setup()
    popupWindow(() => null)
    const refused = await rejection(signInWithPopup(login))
    expect(refused.code).toBe('PopupBlocked')
    expect(refused.message).toContain('click')

    const closedByUser = {
      closed: false,
      location: { href: 'about:blank' },
      close: () => undefined,
    }
    const stored = memoryStorage()
    const closing = managedLogin(client, { ...loginOptions, storage: stored })
    popupWindow(() => closedByUser)
    const settled = rejection(signInWithPopup(closing))
    await new Promise((resolve) => setTimeout(resolve, 150))
    closedByUser.closed = true
    const cancelled = await settled
    expect(cancelled.code).toBe('SignInCancelled')
    expect(cancelled.message).toContain('popup')
    const state = new URL(closedByUser.location.href).searchParams.get('state')
    expect(state).toMatch(/^p\./)
    expect(stored.getItem(`react-cognito-refresh.${spa.clientId}.signIn.${state}`)).toBeNull()
    expect(tokenCalls).toEqual([])
    expect(client.getSnapshot().tokens).toBeNull()
  })
})
