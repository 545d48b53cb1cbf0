// The worker file itself (dist/refresh-worker.js): loaded once, by the SharedWorker, never part of
// the page's bundle.
import { serveRefreshWorker } from '../../src/worker/index'

serveRefreshWorker()
