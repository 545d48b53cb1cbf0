import { type ReactNode, useEffect, useState } from 'react'
import { type AuthClient, type AuthClientOptions, createAuthClient } from '../core/authClient'
import { AuthClientContext } from './context'

interface ClientProps {
  /** A client you created (and dispose yourself, if ever). The provider mounts it while mounted. */
  client: AuthClient
  options?: never
  children?: ReactNode
}

interface OptionsProps {
  /**
   * Options for a client the provider creates on first render and disposes on unmount. Read once:
   * later changes are ignored (remount the provider with a `key` to start over).
   */
  options: AuthClientOptions
  client?: never
  children?: ReactNode
}

/** Either `client` or `options`, never both. */
export type AuthProviderProps = ClientProps | OptionsProps

/** A client the provider owns: disposed when the last mount is released and not taken back. */
function ownClient(options: AuthClientOptions) {
  const client = createAuthClient(options)
  let holds = 0
  return {
    client,
    retain(): () => void {
      holds++
      let released = false
      return () => {
        if (released) return
        released = true
        if (--holds > 0) return
        // StrictMode runs an effect's cleanup and setup again in the same task: dispose only if
        // nobody took the client back by the next microtask.
        void Promise.resolve().then(() => {
          if (holds === 0) client.dispose()
        })
      }
    },
  }
}

/**
 * Makes an `AuthClient` available to the hooks below it and keeps it mounted (timers, lifecycle
 * listeners, the tab channel) while the provider is mounted. Renders nothing of its own.
 *
 * - With `client`: the provider mounts it in an effect and unmounts it on cleanup; it never
 *   disposes a client it did not create.
 * - With `options`: the provider creates one client on first render and disposes it on unmount.
 *   StrictMode's double mount keeps the same client (disposal waits a microtask for a re-mount).
 *
 * On the server nothing is mounted, and the hooks see the `loading` snapshot.
 */
export function AuthProvider(props: AuthProviderProps): ReactNode {
  const [owned] = useState(() =>
    props.client === undefined ? ownClient(props.options) : undefined,
  )
  const client = props.client ?? owned?.client
  if (client === undefined) {
    throw new Error(
      '[react-cognito-refresh] <AuthProvider> lost its `client`. ' +
        'Keep one kind of prop, or remount it with a `key`.',
    )
  }
  useEffect(() => {
    const unmount = client.mount()
    const release = owned !== undefined && owned.client === client ? owned.retain() : undefined
    return () => {
      unmount()
      release?.()
    }
  }, [client, owned])
  return <AuthClientContext.Provider value={client}>{props.children}</AuthClientContext.Provider>
}
