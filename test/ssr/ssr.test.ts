// @vitest-environment node
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createElement, Fragment, version } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAuthClient } from '../../src/core/client/authClient'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { AuthQueryBridge } from '../../src/query/AuthQueryBridge'
import { useAuthQuery } from '../../src/query/useAuthQuery'
import { AuthProvider } from '../../src/react/AuthProvider'
import { useAuth } from '../../src/react/useAuth'
import { useAuthFetch } from '../../src/react/useAuthFetch'
import { useAuthState } from '../../src/react/useAuthState'
import { useTokens } from '../../src/react/useTokens'

const browserGlobals = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'navigator',
  'BroadcastChannel',
  'addEventListener',
  'removeEventListener',
  'fetch',
] as const

/** Every browser global throws when touched, so a render that reaches one fails the test. */
function trapBrowserGlobals() {
  const touched: string[] = []
  const saved = new Map<string, PropertyDescriptor | undefined>()
  for (const name of browserGlobals) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name))
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name)
        throw new Error(`SSR touched the browser global ${name}`)
      },
    })
  }
  const restore = () => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else delete (globalThis as Record<string, unknown>)[name]
    }
  }
  return { touched, restore }
}

function App() {
  const { status, userId, isAuthenticated } = useAuth()
  const refresh = useAuthState((s) => s.refresh)
  const token = useTokens((t) => t?.accessToken)
  useAuthFetch()
  return createElement(
    'p',
    null,
    `status=${status} refresh=${refresh} user=${userId ?? '-'} auth=${isAuthenticated} token=${token ?? '-'}`,
  )
}

describe('server rendering', () => {
  let trap: ReturnType<typeof trapBrowserGlobals>
  beforeEach(() => {
    trap = trapBrowserGlobals()
  })
  afterEach(() => {
    trap.restore()
  })

  const loading = 'status=loading refresh=idle user=- auth=false token=-'

  it(`renders the loading state with a client from options, touching no browser global (React ${version})`, () => {
    const options = {
      clientId: 'ssr',
      transport: cognitoTransport({ region: 'us-east-1', clientId: 'ssr' }),
    }
    const html = renderToString(createElement(AuthProvider, { options }, createElement(App)))
    expect(html).toBe(`<p>${loading}</p>`)
    expect(trap.touched).toEqual([])
  })

  it('renders the loading state with a passed client even if it holds a session', () => {
    const client = createAuthClient({
      clientId: 'ssr',
      transport: {
        name: 'never',
        refresh: () => Promise.reject(new Error('no network on the server')),
      },
      storage: {
        shared: false,
        getItem: () => null,
        setItem: () => undefined,
        removeItem: () => undefined,
      },
    })
    const html = renderToString(
      createElement(Fragment, null, createElement(AuthProvider, { client }, createElement(App))),
    )
    expect(html).toBe(`<p>${loading}</p>`)
    expect(trap.touched).toEqual([])
  })

  it('renders an auth query as pending and disabled, calling nothing', () => {
    let calls = 0
    function Todos() {
      const query = useAuthQuery({
        queryKey: ['todos'],
        queryFn: () => {
          calls++
          return 'never'
        },
      })
      return createElement('p', null, `${query.status}/${query.fetchStatus}`)
    }
    const options = {
      clientId: 'ssr',
      transport: cognitoTransport({ region: 'us-east-1', clientId: 'ssr' }),
    }
    const html = renderToString(
      createElement(
        AuthProvider,
        { options },
        createElement(
          QueryClientProvider,
          { client: new QueryClient() },
          createElement(AuthQueryBridge),
          createElement(Todos),
        ),
      ),
    )
    expect(html).toBe('<p>pending/idle</p>')
    expect(calls).toBe(0)
    expect(trap.touched).toEqual([])
  })
})
