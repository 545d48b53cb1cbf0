// The worker refresh mode as a Vite app writes it: no bundler setting, the package's own worker
// file found through `new URL('./refresh-worker.js', import.meta.url)` in the package.
import { createAuthClient } from 'react-cognito-refresh'
import { refreshWorker } from 'react-cognito-refresh/worker'

window.rcrLibrary = { createAuthClient, refreshWorker }
document.getElementById('status').textContent = 'ready'
