/**
 * The emulator's control endpoint from real pages in Chromium: a page whose origin is in
 * `controlOrigins` reads the pool and sets and clears faults (preflighted JSON POST, DELETE); a
 * foreign page cannot read, cannot set faults with JSON (its preflight fails) nor with a
 * `text/plain` no-cors post (the CSRF form), yet still calls the Cognito API (CORS `*`).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoClassicClientId, demoUser, type Emulator, startEmulator } from '../../src/emulator'
import {
  announceSkipOnce,
  browserAvailable,
  browserRequired,
  launchChromium,
  startPageServer,
} from './support/browser'

if (!browserAvailable && !browserRequired) announceSkipOnce()

type PageServer = Awaited<ReturnType<typeof startPageServer>>

/** What a page's fetch ended in: the status, or the name of the error it threw. */
async function fetchFrom(page: Page, url: string, init: RequestInit): Promise<number | string> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        return (await fetch(url, init)).status
      } catch (error) {
        return (error as Error).name
      }
    },
    { url, init },
  )
}

describe.skipIf(!browserAvailable)('the emulator control endpoint in Chromium', () => {
  let browser: Browser
  let listed: PageServer
  let foreign: PageServer
  let emu: Emulator

  beforeAll(async () => {
    ;[browser, listed, foreign] = await Promise.all([
      launchChromium(),
      startPageServer(''),
      startPageServer(''),
    ])
    emu = await startEmulator({ controlOrigins: [listed.origin] })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await Promise.all([listed?.close(), foreign?.close(), emu?.stop()])
  })

  it('serves the listed page and refuses a foreign one', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${listed.origin}/`)
      const json = { 'Content-Type': 'application/json' }
      expect(await fetchFrom(page, `${emu.url}/_emulator`, {})).toBe(200)
      const lost = JSON.stringify({ failNext: [{ kind: 'lostReply' }] })
      expect(
        await fetchFrom(page, `${emu.url}/_emulator/faults`, {
          method: 'POST',
          headers: json,
          body: lost,
        }),
      ).toBe(200)
      expect(emu.faults.get().queue).toEqual([{ kind: 'lostReply' }])
      expect(await fetchFrom(page, `${emu.url}/_emulator/faults`, { method: 'DELETE' })).toBe(200)
      expect(emu.faults.get().queue).toEqual([])

      const evil = await context.newPage()
      await evil.goto(`${foreign.origin}/`)
      const drop = JSON.stringify({ dropRate: 1 })
      expect(await fetchFrom(evil, `${emu.url}/_emulator`, {})).toBe('TypeError')
      expect(
        await fetchFrom(evil, `${emu.url}/_emulator/faults`, {
          method: 'POST',
          headers: json,
          body: drop,
        }),
      ).toBe('TypeError')
      // The CSRF form: a simple text/plain post, which needs no preflight.
      expect(
        await fetchFrom(evil, `${emu.url}/_emulator/faults`, {
          method: 'POST',
          mode: 'no-cors',
          body: drop,
        }),
      ).toBe(0)
      expect(emu.faults.get().dropRate).toBe(0)
      // The Cognito API stays open to every page, as Cognito's is.
      const signIn = await fetchFrom(evil, `${emu.url}/`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: JSON.stringify({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: demoClassicClientId,
          AuthParameters: { USERNAME: demoUser.username, PASSWORD: demoUser.password },
        }),
      })
      expect(signIn).toBe(200)
    } finally {
      await context.close()
    }
  })
})
