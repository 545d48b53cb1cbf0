// The default refresh worker file (dist/refresh-worker.js): a SharedWorker with the Cognito
// transports. Self-contained: copy it to your origin to self-host it.
import { serveRefreshWorker } from './host'

serveRefreshWorker()
