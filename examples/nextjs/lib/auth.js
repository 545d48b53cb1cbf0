// Server only: the handlers, created on first use from the environment (never at build time).
import 'server-only'
import { createAuthHandlers } from 'react-cognito-refresh/server'

let handlers

function required(name) {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`Set ${name} (see README.md).`)
  return value
}

export function auth() {
  handlers ??= createAuthHandlers({
    clientId: required('COGNITO_CLIENT_ID'),
    clientSecret: required('COGNITO_CLIENT_SECRET'),
    // The emulator's URL locally; unset, the region's Cognito endpoint.
    ...(process.env.COGNITO_ENDPOINT
      ? { endpoint: process.env.COGNITO_ENDPOINT }
      : { region: required('COGNITO_REGION') }),
    secrets: [required('SESSION_SECRET')],
    // Plain http://localhost keeps Secure cookies in Chromium and Firefox; turn it off only for
    // another plain-HTTP host during development.
    cookie: { secure: process.env.COOKIE_SECURE !== 'false' },
    session: { userPoolId: required('COGNITO_USER_POOL_ID') },
    managedLogin: {
      domain: required('COGNITO_DOMAIN'),
      redirectUri: `${required('APP_ORIGIN')}/api/auth/callback`,
      scopes: ['openid', 'email'],
    },
  })
  return handlers
}
