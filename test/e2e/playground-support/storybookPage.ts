/**
 * Opens Storybook stories one after another in a single page. Reloading the preview per story
 * costs about two seconds of script evaluation on a small machine; switching through the
 * preview's channel (`setCurrentStory`, as the Storybook manager does) costs a few hundred ms.
 * Each switch waits for the preview's own `storyRendered` (or error) event for that story.
 */
import type { Page } from 'playwright-core'

type Outcome = { id: string; ok: true } | { id: string; ok: false; reason: string }

interface Preview {
  __STORYBOOK_ADDONS_CHANNEL__?: {
    on(event: string, listener: (arg: unknown) => void): void
    emit(event: string, arg: unknown): void
  }
  __rcrOutcomes?: Outcome[]
}

/** Installs listeners that record each story's outcome in the page. */
async function listen(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as Preview).__STORYBOOK_ADDONS_CHANNEL__ !== undefined,
  )
  await page.evaluate(() => {
    const win = window as unknown as Preview
    if (win.__rcrOutcomes !== undefined) return
    const outcomes: Outcome[] = (win.__rcrOutcomes = [])
    const channel = win.__STORYBOOK_ADDONS_CHANNEL__!
    const idOf = (arg: unknown) =>
      typeof arg === 'string' ? arg : String((arg as { storyId?: string } | null)?.storyId ?? '')
    channel.on('storyRendered', (arg) => outcomes.push({ id: idOf(arg), ok: true }))
    for (const event of ['storyErrored', 'storyThrewException', 'playFunctionThrewException']) {
      channel.on(event, (arg) =>
        outcomes.push({
          id: '',
          ok: false,
          reason: `${event}: ${JSON.stringify(arg).slice(0, 300)}`,
        }),
      )
    }
  })
}

async function waitForOutcome(page: Page, id: string, timeoutMs: number): Promise<void> {
  const handle = await page.waitForFunction(
    (storyId) =>
      (window as unknown as Preview).__rcrOutcomes?.find((o) => !o.ok || o.id === storyId),
    id,
    { timeout: timeoutMs, polling: 50 },
  )
  const outcome = (await handle.jsonValue()) as Outcome
  if (!outcome.ok) throw new Error(outcome.reason)
}

/** Shows story `id` in `page`: a fresh load for the first story, a channel switch afterwards. */
export async function showStory(
  page: Page,
  baseUrl: string,
  id: string,
  { fresh = false, timeoutMs = 15_000 } = {},
): Promise<void> {
  if (fresh) {
    await page.goto(`${baseUrl}/iframe.html?id=${id}&viewMode=story`)
    await listen(page)
    // The first render may have happened before the listeners: the root's content says so.
    await page.waitForFunction(
      () => (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0,
      undefined,
      { timeout: timeoutMs },
    )
    return
  }
  await page.evaluate(() => void ((window as unknown as Preview).__rcrOutcomes!.length = 0))
  await page.evaluate(
    (storyId) =>
      (window as unknown as Preview).__STORYBOOK_ADDONS_CHANNEL__!.emit('setCurrentStory', {
        storyId,
        viewMode: 'story',
      }),
    id,
  )
  await waitForOutcome(page, id, timeoutMs)
}
