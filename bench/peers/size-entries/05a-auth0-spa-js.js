// @auth0/auth0-spa-js: createAuth0Client + getTokenSilently
import { createAuth0Client } from '@auth0/auth0-spa-js'

const clientP = createAuth0Client({
  domain: 'example.auth0.com',
  clientId: 'example',
  useRefreshTokens: true,
  cacheLocation: 'localstorage',
})

export async function getToken() {
  const client = await clientP
  return client.getTokenSilently()
}
