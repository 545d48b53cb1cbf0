/**
 * `useSignIn(options)`: headless sign-in (`createSignIn`) for the client of the nearest
 * `<AuthProvider>`, as state and actions; no UI. The flow is created once per client and options
 * object identity does not matter (pass them inline); StrictMode's double render creates nothing
 * that needs cleaning up.
 */
import { useState, useSyncExternalStore } from 'react'
import { useAuthClient } from '../../react/useAuthClient'
import {
  createSignIn,
  type SignInFlow,
  type SignInFlowOptions,
  type SignInState,
} from '../createSignIn'

export type UseSignInResult = SignInState & Omit<SignInFlow, 'getSnapshot' | 'subscribe'>

export function useSignIn(options: SignInFlowOptions): UseSignInResult {
  const client = useAuthClient()
  const [held, setHeld] = useState(() => ({ client, flow: createSignIn(client, options) }))
  // Another client (a new provider): a new flow, set during render as React allows for derived state.
  let flow = held.flow
  if (held.client !== client) {
    flow = createSignIn(client, options)
    setHeld({ client, flow })
  }
  const state = useSyncExternalStore(flow.subscribe, flow.getSnapshot, flow.getSnapshot)
  return {
    ...state,
    signIn: flow.signIn,
    start: flow.start,
    chooseFactor: flow.chooseFactor,
    setNewPassword: flow.setNewPassword,
    submitCode: flow.submitCode,
    selectMfa: flow.selectMfa,
    reset: flow.reset,
  }
}
