// oidc-client-ts: UserManager + signinSilent (automaticSilentRenew on)
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
