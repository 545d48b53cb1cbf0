/**
 * The managed-login test page: a client on the emulator (the URL in `?emu=` or in sessionStorage)
 * and managedLogin with `<origin>/callback` (or the path in `?redirect=`), which completes a
 * callback on the address as it is created. On /callback the page also asks for the outcome twice,
 * as StrictMode's effects would, and records it; a "Sign in in a popup" button records the
 * popup's. The test drives the rest through `window.rcr`.
 */
import { createAuthClient } from '../../../src/core/client/authClient'
import { isAuthError } from '../../../src/core/errors'
import { oauth2Transport } from '../../../src/core/transports/oauth2'
import { managedLogin, signInWithPopup } from '../../../src/sign-in'

const clientId = 'e2eloginclient00000000001'
const query = new URL(location.href).searchParams
for (const name of ['emu', 'redirect']) {
  const value = query.get(name)
  if (value !== null) sessionStorage.setItem(`e2e.${name}`, value)
}
const emu = sessionStorage.getItem('e2e.emu') ?? ''

const client = createAuthClient({ clientId, transport: oauth2Transport({ domain: emu, clientId }) })
client.mount()
const login = managedLogin(client, {
  clientId,
  domain: emu,
  redirectUri: `${location.origin}${sessionStorage.getItem('e2e.redirect') ?? '/callback'}`,
  logoutUri: `${location.origin}/`,
  scopes: ['openid', 'email'],
})

type Outcome = { ok: true; returnTo: string } | { ok: false; code: string; message: string }
const w = window as unknown as { rcr: Record<string, unknown> }
const outcomeOf = (promise: Promise<{ returnTo: string } | null>) =>
  promise.then(
    (result): Outcome => ({ ok: true, returnTo: result?.returnTo ?? '' }),
    (error: unknown): Outcome =>
      isAuthError(error)
        ? { ok: false, code: error.code, message: error.message }
        : { ok: false, code: 'thrown', message: String(error) },
  )
w.rcr = {
  outcome: undefined as Outcome | undefined,
  popupOutcome: undefined as Outcome | undefined,
  status: () => client.getSnapshot().status,
  email: () => client.getSnapshot().tokens?.idClaims?.email,
  signIn: (returnTo: string) => login.signInWithRedirect({ returnTo }),
  signOut: () => login.signOut(),
}

const button = document.createElement('button')
button.id = 'popup'
button.textContent = 'Sign in in a popup'
button.onclick = () => {
  w.rcr.popupOutcome = undefined
  void outcomeOf(signInWithPopup(login, { returnTo: '/popup' })).then((outcome) => {
    w.rcr.popupOutcome = outcome
  })
}
document.body.append(button)

if (location.pathname === '/callback') {
  // StrictMode's double effect: two calls, one exchange (the one managedLogin started).
  void login.handleRedirectCallback()
  void outcomeOf(login.handleRedirectCallback()).then((outcome) => {
    w.rcr.outcome = outcome
  })
}
