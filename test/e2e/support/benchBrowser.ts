/**
 * The bench harness (plain-node .mjs scripts) as the short browser benchmarks use it: our page
 * (and the worker mode's worker file) bundled and served, one Chromium, both closed by `close()`.
 */
interface Harness {
  bundlePage(name: string): Promise<string>
  startPageServer(b: Record<string, string>): Promise<{ origin: string; close(): Promise<void> }>
  launch(): Promise<{ close(): Promise<void> }>
}

/** Imports a bench script by its path from test/e2e (they are not TypeScript modules). */
export const loadBench = <T>(path: string) =>
  import(new URL(`../${path}`, import.meta.url).href) as Promise<T>

export async function openBenchBrowser() {
  const harness = await loadBench<Harness>('../../bench/browser/harness.mjs')
  const server = await harness.startPageServer({
    ours: await harness.bundlePage('ours'),
    rcrworker: await harness.bundlePage('rcrworker'),
  })
  const browser = await harness.launch()
  return {
    browser,
    origin: server.origin,
    async close() {
      await browser.close()
      await server.close()
    },
  }
}
