// oidc-client-ts: 04a-oidc-client-ts plus signinRedirect, its callback and signoutRedirect. Its
// difference to 04a-oidc-client-ts is what signing in adds.
import { UserManager } from 'oidc-client-ts'

const mgr = new UserManager({
  authority: 'https://idp.example.com',
  client_id: 'example',
  redirect_uri: 'https://app.example.com/cb',
  automaticSilentRenew: true,
})

export async function renew() {
  const user = await mgr.signinSilent()
  return user?.access_token
}
export const signIn = () => mgr.signinRedirect()
export const callback = () => mgr.signinRedirectCallback()
export const end = () => mgr.signoutRedirect()
