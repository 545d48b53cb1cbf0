// The root entry's app (root-react) plus headless sign-in (createSignIn: password, a new password,
// TOTP, SMS and email codes, the choice of factor, setting up an authenticator): its difference to
// root-react is what a sign-in form of the app's own adds.
import { createAuthClient } from '../../src/index'
import { createSignIn } from '../../src/sign-in/index'

const client = createAuthClient({
  clientId: 'example',
  transport: { name: 'none', refresh: () => Promise.reject(new Error('unused')) },
})
export const flow = createSignIn(client, { clientId: 'example', region: 'us-east-1' })
export { App } from './root-react'
