// Run as the server side of a React Server Components app would (node --import ./register.mjs):
// every entry's exports, each either a client reference or the real value, and the server-safe
// ones called. Prints one JSON line.
import * as root from 'react-cognito-refresh'
import * as core from 'react-cognito-refresh/core'
import * as migration from 'react-cognito-refresh/migration'
import * as query from 'react-cognito-refresh/query'
import * as signIn from 'react-cognito-refresh/sign-in'
import * as transports from 'react-cognito-refresh/transports'

const reference = Symbol.for('react.client.reference')
const kinds = {}
const entries = { root, core, migration, query, 'sign-in': signIn, transports }
for (const [entry, exports] of Object.entries(entries)) {
  for (const [name, value] of Object.entries(exports)) {
    kinds[`${entry}.${name}`] = value?.$$typeof === reference ? 'client' : 'server'
  }
}

// What a Server Component, a route handler or a loader calls.
const error = root.toAuthError(new Error('boom'))
const client = root.createAuthClient({
  clientId: 'exampleclientid0000000001',
  transport: root.cognitoTransport({ region: 'us-east-1', clientId: 'exampleclientid0000000001' }),
})
const options = query.authQueryOptions(client, {
  queryKey: ['todos'],
  queryFn: async () => [],
})
const calls = {
  isAuthError: root.isAuthError(error),
  instanceOfAuthError: error instanceof root.AuthError,
  code: error.code,
  snapshot: client.getSnapshot().status,
  authQueryKey: query.authQueryKey(['todos'], 'sub-1'),
  authUserOfKey: query.authUserOfKey(['todos', { authUser: 'sub-1' }]),
  authQueryOptionsKey: options.queryKey,
  isAuthFailure: query.isAuthFailure(error),
  shallowEqual: root.shallowEqual({ a: 1 }, { a: 1 }),
}
let hook = 'returned'
try {
  root.useTokens()
} catch (e) {
  hook = String(e.message)
}
console.log(JSON.stringify({ kinds, calls, hook }))
