// A Server Component: the library's server-safe exports called on the server, and its provider
// (in a client component of the app's, as its options hold functions) around a client component.
import {
  AuthError,
  cognitoTransport,
  createAuthClient,
  isAuthError,
  shallowEqual,
  toAuthError,
} from 'react-cognito-refresh'
import {
  authQueryKey,
  authQueryOptions,
  authUserOfKey,
  isAuthFailure,
} from 'react-cognito-refresh/query'
import { Providers } from './providers'
import { Status } from './status'

export const dynamic = 'force-dynamic'

const clientId = 'exampleclientid0000000001'

export default function Page() {
  const error = toAuthError(new Error('boom'))
  const client = createAuthClient({
    clientId,
    transport: cognitoTransport({ region: 'us-east-1', clientId }),
  })
  const options = authQueryOptions(client, { queryKey: ['todos'], queryFn: async () => [] })
  const server = {
    isAuthError: isAuthError(error),
    instanceOf: error instanceof AuthError,
    code: error.code,
    key: authQueryKey(['todos'], 'sub-1'),
    user: authUserOfKey(['todos', { authUser: 'sub-1' }]),
    optionsKey: options.queryKey,
    failure: isAuthFailure(error),
    shallow: shallowEqual({ a: 1 }, { a: 1 }),
  }
  return (
    <main>
      <pre id="server">{JSON.stringify(server)}</pre>
      <Providers>
        <Status />
      </Providers>
    </main>
  )
}
