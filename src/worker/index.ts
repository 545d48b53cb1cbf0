// The `react-cognito-refresh/worker` entry: refreshes run in a SharedWorker shared by every tab of
// the origin, so a tab closed or frozen mid-refresh loses nothing, even with no rotation grace
// period. `serveRefreshWorker` is for a self-hosted worker file.
import { createRefreshWorker, type RefreshWorker, type RefreshWorkerOptions } from './refreshWorker'

/**
 * The package's worker file, next to this module; bundlers (Vite, webpack 5) emit it with the app.
 * The comment keeps our own library build from bundling it here; the build removes it
 * (vite.config.ts), so the published file has the plain `new URL('./refresh-worker.js', …)`.
 */
function packagedWorker(): SharedWorker | undefined {
  if (typeof SharedWorker !== 'function') return undefined
  return new SharedWorker(new URL(/* @vite-ignore */ './refresh-worker.js', import.meta.url), {
    type: 'module',
    name: 'react-cognito-refresh',
  })
}

/**
 * The worker refresh mode: `createAuthClient({ clientId, ...refreshWorker({ transport }) })`.
 * Connects to the worker at once (starting it in the first tab); falls back to refreshing in the
 * tab where SharedWorker is missing.
 */
export function refreshWorker(options: RefreshWorkerOptions): RefreshWorker {
  return createRefreshWorker(options, packagedWorker)
}

export type { RefreshWorker, RefreshWorkerOptions } from './refreshWorker'
export type { WorkerTransportConfig, TransportBuilder } from './config'
export { serveRefreshWorker } from './host'
export type { ServeRefreshWorkerOptions, SharedWorkerScope } from './host'
