/**
 * Whether the browser tests run: Debian's Chromium present, or `.ci/run`'s RCR_REQUIRE_BROWSER=1,
 * where a missing browser fails instead of skipping. One definition for every browser test file.
 */
import { closeSync, existsSync, openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const chromiumPath = '/usr/bin/chromium'

/** The flags every browser test launches Debian's Chromium with (no downloads, no sandbox). */
export const chromiumBaseArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
export const browserAvailable = existsSync(chromiumPath)
export const browserRequired = process.env.RCR_REQUIRE_BROWSER === '1'
export const skipMessage =
  'SKIPPED browser tests: Chromium not found; install it with: apt-get install -y chromium'
export const requiredButMissing = skipMessage.replace('SKIPPED', 'FAILED (RCR_REQUIRE_BROWSER=1)')

/** Prints the skip line once per test run (the test files run in workers of one process). */
export function announceSkipOnce(): void {
  try {
    closeSync(openSync(join(tmpdir(), `rcr-browser-skip-${process.ppid}`), 'wx'))
    console.warn(skipMessage)
  } catch {
    // already printed by another browser test file
  }
}
