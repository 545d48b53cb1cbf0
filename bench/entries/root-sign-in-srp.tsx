// root-sign-in-headless plus SRP (react-cognito-refresh/sign-in/srp): its difference to
// root-sign-in-headless is what USER_SRP_AUTH adds.
import { createAuthClient } from '../../src/index'
import { createSignIn } from '../../src/sign-in/index'
import { srp } from '../../src/sign-in/srp/index'

const client = createAuthClient({
  clientId: 'example',
  transport: { name: 'none', refresh: () => Promise.reject(new Error('unused')) },
})
export const flow = createSignIn(client, {
  clientId: 'example',
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  srp,
})
export { App } from './root-react'
