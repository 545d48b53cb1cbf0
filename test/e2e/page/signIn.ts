/**
 * The managed-login test page: a client on the emulator (the URL in `?emu=` or in sessionStorage)
 * and managedLogin with `<origin>/callback`. On /callback it runs the callback once (twice, as
 * StrictMode would) and records the outcome; the test drives the rest through `window.rcr`.
 */
import { createAuthClient } from '../../../src/core/client/authClient'
import { isAuthError } from '../../../src/core/errors'
import { oauth2Transport } from '../../../src/core/transports/oauth2'
import { managedLogin } from '../../../src/sign-in'

const clientId = 'e2eloginclient00000000001'
const fromQuery = new URL(location.href).searchParams.get('emu')
if (fromQuery !== null) sessionStorage.setItem('e2e.emu', fromQuery)
const emu = sessionStorage.getItem('e2e.emu') ?? ''

const client = createAuthClient({ clientId, transport: oauth2Transport({ domain: emu, clientId }) })
client.mount()
const login = managedLogin(client, {
  clientId,
  domain: emu,
  redirectUri: `${location.origin}/callback`,
  logoutUri: `${location.origin}/`,
  scopes: ['openid', 'email'],
})

type Outcome = { ok: true; returnTo: string } | { ok: false; code: string; message: string }
const w = window as unknown as { rcr: Record<string, unknown> }
w.rcr = {
  outcome: undefined as Outcome | undefined,
  status: () => client.getSnapshot().status,
  email: () => client.getSnapshot().tokens?.idClaims?.email,
  signIn: (returnTo: string) => login.signInWithRedirect({ returnTo }),
  signOut: () => login.signOut(),
}

if (location.pathname === '/callback') {
  const settle = (outcome: Outcome) => {
    w.rcr.outcome = outcome
  }
  // StrictMode's double effect: two calls, one exchange.
  void login.handleRedirectCallback()
  login.handleRedirectCallback().then(
    (result) => settle({ ok: true, returnTo: result?.returnTo ?? '' }),
    (error: unknown) =>
      settle(
        isAuthError(error)
          ? { ok: false, code: error.code, message: error.message }
          : { ok: false, code: 'thrown', message: String(error) },
      ),
  )
}
