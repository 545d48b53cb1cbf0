/** Helpers for the managed-login tests: a cookie-keeping browser over fetch, PKCE, the form. */
import { createHash, randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import type { Emulator } from '../../src/emulator'

/** The app's pages; nothing listens there: the tests read the redirects, never follow them. */
export const callback = 'http://127.0.0.1:9/callback'
export const signedOut = 'http://127.0.0.1:9/signed-out'

export const spa = {
  clientId: 'spaloginclient00000000001',
  clientName: 'Test SPA',
  callbackURLs: [callback],
  logoutURLs: [signedOut],
  refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 },
} as const

export const confidential = {
  clientId: 'webloginclient00000000002',
  clientSecret: 'averysecretclientsecret0123456789',
  callbackURLs: [callback],
} as const

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  return { verifier, challenge }
}

export interface Page {
  status: number
  location: string | undefined
  text: string
  headers: Headers
}

/** Keeps the emulator's cookies between requests, as a browser would; follows no redirect. */
export class Browser {
  readonly cookies = new Map<string, string>()

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(cookie === '' ? {} : { cookie }),
        ...(init.headers as Record<string, string>),
      },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      if (attributes.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(eq + 1).trim())
    }
    return {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      text: await response.text(),
      headers: response.headers,
    }
  }

  get(url: string): Promise<Page> {
    return this.request(url)
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
  }
}

export function authorizeUrl(emu: Emulator, params: Record<string, string>): string {
  return `${emu.url}/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: spa.clientId,
    redirect_uri: callback,
    ...params,
  }).toString()}`
}

/** The form's hidden CSRF token and its action, read from the page as a browser would. */
export function formOf(html: string): { action: string; csrf: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  expect(action).toBeDefined()
  expect(csrf).toBeDefined()
  const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(+n))
  return { action: unescape(action ?? ''), csrf: csrf ?? '' }
}

/** authorize → /login → the form's POST; returns the POST's reply (a redirect on success). */
export async function signInThroughForm(
  emu: Emulator,
  browser: Browser,
  params: Record<string, string>,
  credentials: { username: string; password: string },
): Promise<Page> {
  const authorize = await browser.get(authorizeUrl(emu, params))
  expect(authorize.status).toBe(302)
  const form = await browser.get(authorize.location ?? '')
  expect(form.status).toBe(200)
  const { action, csrf } = formOf(form.text)
  return browser.post(new URL(action, emu.url).toString(), { ...credentials, _csrf: csrf })
}

/** An authorize URL followed to the form, which is sent: the callback URL it redirects to. */
export async function followAuthorize(
  browser: Browser,
  authorizeUrl: string,
  emuUrl: string,
  credentials: { username: string; password: string },
): Promise<string> {
  const authorize = await browser.get(authorizeUrl)
  expect(authorize.status).toBe(302)
  const form = await browser.get(authorize.location ?? '')
  const { action, csrf } = formOf(form.text)
  const posted = await browser.post(new URL(action, emuUrl).toString(), {
    ...credentials,
    _csrf: csrf,
  })
  expect(posted.status).toBe(302)
  return posted.location ?? ''
}

/** The query of a redirect to the app. */
export function callbackParams(page: Page): URLSearchParams {
  expect(page.status).toBe(302)
  const location = new URL(page.location ?? '')
  expect(`${location.origin}${location.pathname}`).toBe(callback)
  return location.searchParams
}

export async function exchange(
  emu: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(emu.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ grant_type: 'authorization_code', ...form }).toString(),
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}
