/**
 * Smoke test of the built Storybook and the built playground in headless Chromium: every story
 * renders its expected text without a console error or an uncaught exception, and the playground
 * build signs in against the emulator. Screenshots go to test-output/screenshots/.
 */
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import {
  browserAvailable,
  launchChromium,
  waitForText,
  watchErrors,
} from './playground-support/browser'
import { ensureBuilt, playgroundBuild, repoRoot, storybookBuild } from './playground-support/builds'
import { serveStatic, type StaticServer } from './playground-support/staticServer'
import { showStory } from './playground-support/storybookPage'
import { expectedStoryText } from './playground-support/storyExpectations'

const screenshots = join(repoRoot, 'test-output/screenshots')
const hasBrowser = browserAvailable()

describe.skipIf(!hasBrowser)('smoke: built Storybook and playground in Chromium', () => {
  let browser: Browser
  let storybook: StaticServer
  let playground: StaticServer
  let emulator: Emulator

  beforeAll(async () => {
    mkdirSync(join(screenshots, 'storybook'), { recursive: true })
    // One build at a time: the machine is shared.
    await ensureBuilt(storybookBuild)
    await ensureBuilt(playgroundBuild)
    ;[storybook, playground, browser] = await Promise.all([
      serveStatic(join(repoRoot, 'storybook-static')),
      serveStatic(join(repoRoot, 'playground/dist')),
      launchChromium(),
    ])
    // The built playground reads the pool from the control endpoint: allow its page's origin.
    emulator = await startEmulator({ controlOrigins: [new URL(playground.url).origin] })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await Promise.all([storybook?.close(), playground?.close(), emulator?.stop()])
  })

  it('renders every story with its expected text and no console error', async () => {
    const index = JSON.parse(await readFile(join(repoRoot, storybookBuild.marker), 'utf8')) as {
      entries: Record<string, { id: string; type: string; title: string; name: string }>
    }
    const stories = Object.values(index.entries).filter((e) => e.type === 'story')
    expect(stories.length).toBeGreaterThanOrEqual(20)
    // A new story needs an expectation here, so it cannot pass by rendering nothing.
    const missing = stories.filter((s) => expectedStoryText[s.id] === undefined).map((s) => s.id)
    expect(missing, 'stories without an entry in storyExpectations.ts').toEqual([])

    const failures: string[] = []
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
    let page = await context.newPage()
    let errors = watchErrors(page)
    let fresh = true
    for (const story of stories) {
      const started = Date.now()
      try {
        await showStory(page, storybook.url, story.id, { fresh })
        fresh = false
        for (const text of expectedStoryText[story.id] ?? []) {
          await waitForText(page, text, { selector: '#storybook-root' })
        }
        const broken = await page.evaluate(() =>
          document.body.classList.contains('sb-show-errordisplay'),
        )
        if (broken) failures.push(`${story.id}: Storybook shows its error display`)
        await page.screenshot({
          path: join(screenshots, 'storybook', `${story.id}.png`),
          fullPage: true,
        })
      } catch (error) {
        failures.push(`${story.id}: ${error instanceof Error ? error.message : String(error)}`)
        // Start the next story from a clean page.
        await page.close()
        page = await context.newPage()
        errors = watchErrors(page)
        fresh = true
      } finally {
        failures.push(...errors.take().map((e) => `${story.id}: console error: ${e}`))
        if (process.env.RCR_SMOKE_TIMINGS === '1') console.log(story.id, Date.now() - started, 'ms')
      }
    }
    await context.close()
    expect(failures).toEqual([])
  })

  it('opens the built playground and signs in against the emulator', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const errors = watchErrors(page)
    try {
      await page.goto(`${playground.url}/index.html?emulator=${encodeURIComponent(emulator.url)}`)
      await waitForText(page, 'Local emulator')
      await waitForText(page, 'access token 3600 s')
      await page.getByRole('button', { name: 'Use the demo user' }).click()
      await page
        .getByRole('region', { name: 'Sign in', exact: true })
        .getByRole('button', { name: 'Sign in', exact: true })
        .click()
      await waitForText(page, 'Authenticated')
      await waitForText(page, 'Demo User')
      await page.getByRole('button', { name: 'Call the API' }).click()
      await waitForText(page, 'HTTP 200')
      await page.screenshot({ path: join(screenshots, 'playground-build.png'), fullPage: true })
      const text = await page.evaluate(() => document.body.innerText)
      const stored = await page.evaluate(() => JSON.stringify(localStorage))
      // The page shows claims, never the tokens it holds.
      for (const token of tokensIn(stored)) expect(text).not.toContain(token.slice(0, 40))
      // The query panel and the button both called the API, and each was accepted.
      const { demoApi } = emulator.stats()
      expect(demoApi.ok).toBeGreaterThanOrEqual(2)
      expect(demoApi.expired + demoApi.invalid + demoApi.missing).toBe(0)
    } finally {
      await context.close()
    }
    expect(errors.take()).toEqual([])
  })
})

/** The JWTs in a string (the stored session), to check none of them is rendered. */
function tokensIn(text: string): string[] {
  return text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []
}
