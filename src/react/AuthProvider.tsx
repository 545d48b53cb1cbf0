import { type ReactNode, useEffect, useState } from 'react'
import {
  type AuthClient,
  type AuthClientOptions,
  createAuthClient,
} from '../core/client/authClient'
import { AuthClientContext } from './context'

interface ClientProps {
  /** A client you created (and dispose yourself, if ever). The provider mounts it while mounted. */
  client: AuthClient
  options?: never
  children?: ReactNode
}

interface OptionsProps {
  /**
   * Options for a client the provider creates on first render. Read once: later changes are
   * ignored (remount the provider with a `key` to start over).
   */
  options: AuthClientOptions
  client?: never
  children?: ReactNode
}

/** Either `client` or `options`, never both. */
export type AuthProviderProps = ClientProps | OptionsProps

/**
 * Makes an `AuthClient` available to the hooks below it and keeps it mounted (timers, lifecycle
 * listeners, the tab channel) while the provider is mounted. Renders nothing of its own.
 *
 * - With `client`: the provider mounts it in an effect and unmounts it on cleanup; it never
 *   disposes a client it did not create.
 * - With `options`: the provider creates one client on first render and keeps it for its life.
 *   It needs no disposal: unmounted, a client holds no timer, listener or channel, so StrictMode's
 *   double mount and `<Activity mode="hidden">` (which unmounts effects and keeps state) bring the
 *   same client back, and an unmounted provider's client is simply garbage-collected.
 *
 * On the server nothing is mounted, and the hooks see the `loading` snapshot.
 */
export function AuthProvider(props: AuthProviderProps): ReactNode {
  const [owned] = useState(() =>
    props.client === undefined ? createAuthClient(props.options) : undefined,
  )
  const client = props.client ?? owned
  if (client === undefined) {
    throw new Error(
      '[react-cognito-refresh] <AuthProvider> lost its `client`.' +
        // Advice for the developer; a production bundle keeps the fact and drops these bytes.
        (typeof process === 'object' && process.env.NODE_ENV !== 'production'
          ? ' Keep one kind of prop, or remount it with a `key`.'
          : ''),
    )
  }
  useEffect(() => client.mount(), [client])
  return <AuthClientContext.Provider value={client}>{props.children}</AuthClientContext.Provider>
}
