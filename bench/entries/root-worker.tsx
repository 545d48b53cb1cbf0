// The root entry's app (root-react) plus the worker refresh mode's tab side: its difference to
// root-react is what the worker mode adds to an app's bundle (the worker file is loaded apart:
// the refresh-worker row).
import { createAuthClient } from '../../src/index'
import { refreshWorker } from '../../src/worker/index'

export const workerClient = createAuthClient({
  clientId: 'example',
  ...refreshWorker({ transport: { type: 'cognito', region: 'us-east-1', clientId: 'example' } }),
})
export { App } from './root-react'
