/**
 * The playground against the emulator, in headless Chromium, as `npm start` runs it (Vite dev
 * server + emulator, both on free ports): sign in, live through refreshes of a 5-second access
 * token, share the session with a second tab, and sign out everywhere; then go offline and see
 * the retry counted down, and lose a refresh reply without losing the session.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Playground, startPlayground } from '../../playground/server'
import {
  browserAvailable,
  launchChromium,
  waitForText,
  watchErrors,
} from './playground-support/browser'
import { repoRoot } from './playground-support/builds'

const screenshots = join(repoRoot, 'test-output/screenshots')
const hasBrowser = browserAvailable()

async function version(page: Page): Promise<number> {
  const text = await page.getByTestId('token-version').textContent({ timeout: 5_000 })
  return Number(text)
}

async function waitForVersion(page: Page, atLeast: number, timeoutMs = 20_000): Promise<number> {
  await page.waitForFunction(
    (min) => Number(document.querySelector('[data-testid="token-version"]')?.textContent) >= min,
    atLeast,
    { timeout: timeoutMs, polling: 100 },
  )
  return version(page)
}

const serverRefreshes = (pg: Playground) =>
  pg.emulator?.stats().calls.GetTokensFromRefreshToken?.ok ?? 0

async function signIn(page: Page): Promise<void> {
  // The "Sign in" card (the page also has "Your own sign-in form").
  const card = page.getByRole('region', { name: 'Sign in', exact: true })
  await card.getByLabel('Username').fill('demo@example.com')
  await card.getByLabel('Password').fill('Passw0rd!demo')
  await card.getByRole('button', { name: 'Sign in', exact: true }).click()
  await waitForText(page, 'Authenticated')
}

/** Whether this emulator knows the `lostReply` fault (another branch adds it). */
function offersLostReply(pg: Playground): boolean {
  try {
    pg.emulator?.faults.set({ failNext: [{ kind: 'lostReply' } as never] })
    return true
  } catch {
    return false
  } finally {
    pg.emulator?.faults.clear()
  }
}

describe.skipIf(!hasBrowser)('playground on the emulator', () => {
  let playground: Playground
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true })
    ;[playground, browser] = await Promise.all([
      startPlayground({ port: 0, emulatorPort: 0, tokenSeconds: 5, logLevel: 'warn' }),
      launchChromium(),
    ])
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await playground?.stop()
  })

  it('signs in, refreshes twice, shares the session with a second tab, and signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
    const first = await context.newPage()
    const firstErrors = watchErrors(first)
    // The dev server optimises dependencies on the first request: allow it time.
    await first.goto(playground.url, { timeout: 90_000 })
    await waitForText(first, 'Sign in', { timeoutMs: 90_000 })
    await waitForText(first, 'access token 5 s')
    await waitForText(first, 'Tab 1')

    await signIn(first)
    await waitForText(first, 'Demo User')
    expect(await version(first)).toBe(1)
    expect(serverRefreshes(playground)).toBe(0)

    // Two refreshes of the 5-second token, each answered by the emulator.
    expect(await waitForVersion(first, 3)).toBeGreaterThanOrEqual(3)
    expect(serverRefreshes(playground)).toBeGreaterThanOrEqual(2)
    expect(await first.getByTestId('status-badge').textContent()).toContain('Authenticated')
    const log = await first.getByTestId('activity-log').innerText()
    expect(log.match(/Refreshed/g)?.length ?? 0).toBeGreaterThanOrEqual(2)
    expect(log).not.toContain('Failed')

    // The protected API accepts the current token.
    await first.getByRole('button', { name: 'Call the API' }).click()
    await waitForText(first, 'HTTP 200')
    await first.screenshot({ path: join(screenshots, 'playground-session.png'), fullPage: true })

    // A second tab picks the session up and the tabs share it: one refresh per version.
    const second = await context.newPage()
    const secondErrors = watchErrors(second)
    await second.goto(playground.url, { timeout: 60_000 })
    await waitForText(second, 'Tab 2')
    await waitForText(second, 'Authenticated')
    // A tab that opens signed in is not told to sign in while its log is still empty.
    expect(await second.getByTestId('activity-empty').allInnerTexts()).not.toContainEqual(
      expect.stringContaining('Sign in'),
    )
    // The session's label is short, and the same in both tabs.
    const label = await first.getByTestId('session-label').textContent()
    expect(label).toMatch(/^[0-9a-f]{6}$/)
    expect(await second.getByTestId('session-label').textContent()).toBe(label)
    const before = await version(first)
    await waitForVersion(first, before + 2)
    await waitForVersion(second, before + 2)
    await waitForText(first, 'Adopted')
    const latest = Math.max(await version(first), await version(second))
    // Every successful refresh made a new version: none was duplicated by the second tab.
    expect(serverRefreshes(playground)).toBe(latest - 1)
    await second.screenshot({
      path: join(screenshots, 'playground-second-tab.png'),
      fullPage: true,
    })

    // The page shows claims and fingerprints, never the tokens it stores.
    const stored = await first.evaluate(() => JSON.stringify(localStorage))
    const shown = await first.evaluate(() => document.body.innerText)
    const tokens = stored.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []
    expect(tokens.length).toBeGreaterThan(0)
    for (const token of tokens) expect(shown).not.toContain(token.slice(0, 40))

    // Signing out in one tab ends the session in both, and revokes the refresh token.
    await first.getByRole('button', { name: 'Sign out' }).click()
    await waitForText(first, 'You signed out')
    await waitForText(second, 'You signed out')
    // The last API reply belonged to the session that ended: it is gone.
    expect(await first.getByTestId('api-result').count()).toBe(0)
    expect(await first.locator('body').innerText()).not.toContain('HTTP 200')
    await first.screenshot({ path: join(screenshots, 'playground-signed-out.png'), fullPage: true })
    await expect
      .poll(() => playground.emulator?.stats().calls.RevokeToken?.ok ?? 0, { timeout: 5_000 })
      .toBe(1)

    await context.close()
    expect([...firstErrors.take(), ...secondErrors.take()]).toEqual([])
  })

  it('counts down to the retry while offline, and survives a lost refresh reply', async () => {
    const lostReply = offersLostReply(playground)
    const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } })
    const page = await context.newPage()
    // The fault controls make refreshes fail on purpose, and the lost-reply probe may get a 400.
    const errors = watchErrors(page, (text) =>
      /_emulator\/faults|Failed to load resource/.test(text),
    )
    await page.goto(playground.url, { timeout: 60_000 })
    await waitForText(page, 'Sign in', { timeoutMs: 60_000 })
    await signIn(page)

    // Offline: the refresh fails, the session stays, and the countdown is to the retry.
    await page.getByRole('button', { name: /^Offline/ }).click()
    await expect.poll(() => playground.emulator?.faults.get().dropRate, { timeout: 5_000 }).toBe(1)
    await page.getByRole('button', { name: 'Refresh now' }).click()
    await waitForText(page, 'Retrying', { selector: '[data-testid="refresh-badge"]' })
    await waitForText(page, 'retry in', { selector: '[data-testid="refresh-countdown"]' })
    expect(await page.getByTestId('status-badge').textContent()).toContain('Authenticated')
    expect(await page.getByTestId('error-notice').innerText()).not.toMatch(
      /NetworkError[\s\S]*NetworkError/,
    )
    await page.screenshot({ path: join(screenshots, 'playground-retrying.png'), fullPage: true })
    await page.getByRole('button', { name: 'Clear all' }).click()
    await page.getByRole('button', { name: 'Refresh now' }).click()
    await waitForText(page, 'Idle', {
      selector: '[data-testid="refresh-badge"]',
      timeoutMs: 20_000,
    })

    // A lost reply: the emulator rotates, then closes the socket. The tab retries within the
    // grace period and picks up the successor: a failure in the log, then a refresh, no sign-out.
    await page.getByTestId('lost-reply').click()
    if (!lostReply) {
      await waitForText(page, 'does not offer the lost-reply fault')
      expect(await page.getByTestId('lost-reply').isDisabled()).toBe(true)
    } else {
      await waitForText(page, 'Queued')
      const before = await version(page)
      await page.getByRole('button', { name: 'Refresh now' }).click()
      await waitForText(page, 'Failed', { selector: '[data-testid="activity-log"]' })
      await waitForVersion(page, before + 1, 30_000)
      expect(await page.getByTestId('status-badge').textContent()).toContain('Authenticated')
      expect(await page.getByTestId('activity-log').innerText()).not.toContain('Signed out')
    }
    await context.close()
    expect(errors.take()).toEqual([])
  })

  it('signs in through managed login: the emulator page, the callback, a clean address bar', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(playground.url, { timeout: 60_000 })
    await page.getByTestId('managed-login').click()
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 })
    await page.fill('#username', 'demo@example.com')
    await page.fill('#password', 'Passw0rd!demo')
    await page.click('button[type=submit]')
    await waitForText(page, 'Authenticated')
    await waitForText(page, 'Demo User')
    const back = new URL(page.url())
    expect(`${back.origin}${back.pathname}`).toBe(new URL(playground.url).origin + '/')
    expect(back.searchParams.has('code')).toBe(false)
    expect(back.searchParams.has('state')).toBe(false)
    await context.close()
    expect(errors.take()).toEqual([])
  }, 120_000)

  it('signs in through managed login in a popup: the page stays, the popup closes', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(playground.url, { timeout: 60_000 })
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByTestId('managed-login-popup').click(),
    ])
    await popup.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 })
    await popup.fill('#username', 'demo@example.com')
    await popup.fill('#password', 'Passw0rd!demo')
    await Promise.all([
      popup.waitForEvent('close', { timeout: 20_000 }),
      popup.click('button[type=submit]'),
    ])
    await waitForText(page, 'Authenticated')
    await waitForText(page, 'Demo User')
    expect(page.url()).toBe(playground.url)
    await context.close()
    expect(errors.take()).toEqual([])
  }, 120_000)

  it('signs in with its own form (useSignIn): SRP then an authenticator code, an email code, a new password', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
    try {
      for (const [username, steps] of [
        ['totp@example.com', ['Authenticator code']],
        ['email@example.com', ['by email']],
        ['new@example.com', ['Choose a new password']],
      ] as const) {
        const page = await context.newPage()
        const errors = watchErrors(page)
        await page.goto(playground.url, { timeout: 60_000 })
        const card = page.getByRole('region', { name: 'Your own sign-in form' })
        await card.getByLabel('SRP').check()
        await card.getByLabel('Username', { exact: true }).fill(username)
        await card.getByLabel('Password', { exact: true }).fill('Passw0rd!demo')
        await card.getByRole('button', { name: 'Sign in', exact: true }).click()
        for (const text of steps) await waitForText(page, text)
        if (username === 'new@example.com') {
          await card.getByLabel('New password').fill('N3w!Passw0rd')
          await card.getByRole('button', { name: 'Set password' }).click()
        } else {
          await card.getByRole('button', { name: 'Fill in the code' }).click()
          await page.waitForFunction(
            () =>
              (document.querySelector('input[name=code]') as HTMLInputElement | null)?.value
                .length === 6,
          )
          await card.getByRole('button', { name: 'Verify' }).click()
        }
        await waitForText(page, 'Authenticated')
        expect(errors.take()).toEqual([])
        await page.getByRole('button', { name: 'Sign out' }).click()
        await waitForText(page, 'Your own form')
        await page.close()
      }
      // The password went through SRP: only USER_SRP_AUTH reached the emulator for these users.
      expect(playground.emulator?.stats().calls.RespondToAuthChallenge?.ok).toBeGreaterThanOrEqual(
        5,
      )
    } finally {
      await context.close()
    }
  }, 180_000)
})
