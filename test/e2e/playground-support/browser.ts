/**
 * Headless Chromium for the playground and Storybook tests: Debian's build at /usr/bin/chromium
 * (override with CHROMIUM_PATH), one browser per test file, and pages that record console errors
 * and uncaught exceptions so a test can fail on them.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'
import { chromiumBaseArgs } from '../support/gate'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The one line printed when the browser tests cannot run here. */
export const skipLine =
  'SKIPPED browser tests: Chromium not found; install it with: apt-get install -y chromium'

/**
 * Whether the browser tests run. Without Chromium they skip with `skipLine`, printed once per
 * process; with RCR_REQUIRE_BROWSER=1 (CI) a missing Chromium is an error instead.
 */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true
  if (process.env.RCR_REQUIRE_BROWSER === '1') {
    throw new Error(`Chromium is required (RCR_REQUIRE_BROWSER=1) but ${chromiumPath} is missing.`)
  }
  const flag = globalThis as { __rcrSkipPrinted?: boolean }
  if (!flag.__rcrSkipPrinted) {
    flag.__rcrSkipPrinted = true
    console.log(skipLine)
  }
  return false
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumBaseArgs, '--disable-dev-shm-usage'],
  })
}

/** Collects console errors and page errors of `page`; `take()` returns and clears them. */
export function watchErrors(page: Page, ignore: (text: string) => boolean = () => false) {
  let errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !ignore(message.text())) errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
  // Chromium's "Failed to load resource" line has no URL: record which one failed.
  page.on('response', (response) => {
    if (response.status() >= 400 && !ignore(response.url())) {
      errors.push(`HTTP ${response.status()} for ${response.url()}`)
    }
  })
  return {
    take(): string[] {
      const taken = errors
      errors = []
      return taken
    },
  }
}

/** Waits until the page's visible text contains `text`; the error names what was missing. */
export async function waitForText(
  page: Page,
  text: string,
  { selector = 'body', timeoutMs = 10_000 }: { selector?: string; timeoutMs?: number } = {},
): Promise<void> {
  const read = ([sel]: readonly [string]) =>
    (document.querySelector(sel) as HTMLElement | null)?.innerText ?? ''
  try {
    await page.waitForFunction(
      ([sel, wanted]) =>
        ((document.querySelector(sel) as HTMLElement | null)?.innerText ?? '').includes(wanted),
      [selector, text] as const,
      { timeout: timeoutMs, polling: 100 },
    )
  } catch {
    const seen = (await page.evaluate(read, [selector] as const))
      .replace(/\s+/g, ' ')
      .slice(0, 4000)
    throw new Error(`Expected "${text}" within ${timeoutMs} ms; the page shows: ${seen}`)
  }
}
