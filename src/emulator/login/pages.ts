/**
 * The HTML of managed login: the sign-in form and the error page. Every value from the request
 * is escaped; no token, code or secret is ever written into a page.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const style =
  'body{font-family:system-ui,sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}' +
  'label,input,button{display:block;width:100%;box-sizing:border-box;margin:.4rem 0}' +
  'input,button{padding:.5rem;font-size:1rem}.error{color:#b00020}'

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>
${body}
</body>
</html>
`
}

export interface SignInPage {
  clientName: string
  /** Where the form posts: `/login` with the authorize request's query. */
  action: string
  /** The double-submit CSRF token, also set as a cookie. */
  csrf: string
  /** Prefilled from `login_hint`, or what the user typed before a failed attempt. */
  username: string
  /** `Incorrect username or password.` and the like. */
  error: string | undefined
  /** The callback with `error=access_denied` and the request's `state`. */
  cancelUrl: string
  lang: string | undefined
}

export function signInPage(p: SignInPage): string {
  const error =
    p.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(p.error)}</p>\n`
  const html = document(
    'Sign in',
    `<h1>Sign in</h1>
<p>to ${escapeHtml(p.clientName)}</p>
${error}<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="_csrf" value="${escapeHtml(p.csrf)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(p.username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p><a id="cancel" href="${escapeHtml(p.cancelUrl)}">Cancel</a></p>`,
  )
  return p.lang === undefined ? html : html.replace('lang="en"', `lang="${escapeHtml(p.lang)}"`)
}

const explanations: Readonly<Record<string, string>> = {
  redirect_mismatch: 'The redirect_uri is not one of the app client\u2019s callback URLs.',
  invalid_client: 'The client_id is missing or names no app client of this user pool.',
  invalid_request: 'The request is missing a parameter or has a malformed one.',
}

/** Cognito's error page says "An error was encountered with the requested page." and the code. */
export function errorPage(code: string, detail = explanations[code]): string {
  return document(
    'Error',
    `<h1>An error was encountered with the requested page.</h1>
<p id="error">${escapeHtml(code)}</p>
${detail === undefined ? '' : `<p>${escapeHtml(detail)}</p>`}`,
  )
}
