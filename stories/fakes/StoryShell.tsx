import { QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useEffect, useRef, useState } from 'react'
import { AuthProvider, useAuthState } from 'react-cognito-refresh'
import { AuthQueryBridge } from 'react-cognito-refresh/query'
import { SessionCard } from '../../playground/src/components/SessionCard'
import { SignInForm } from '../../playground/src/components/SignInForm'
import { createStoryTab, type StoryTab, type StoryTabOptions } from './storyTab'

export interface StoryShellProps {
  options?: StoryTabOptions
  /** Runs once after the provider has mounted the client: drives it into the story's state. */
  scenario?: (tab: StoryTab) => void | Promise<void>
  children: (tab: StoryTab) => ReactNode
}

/** Builds one story tab, provides it, runs the scenario, and disposes it on unmount. */
export function StoryShell({ options, scenario, children }: StoryShellProps) {
  const [tab] = useState(() => createStoryTab(options))
  const ran = useRef(false)
  useEffect(() => {
    // Effects run children first: AuthProvider has mounted the client by now.
    if (!ran.current) {
      ran.current = true
      // Failures are the point of several stories: they show in the snapshot, not here.
      void Promise.resolve(scenario?.(tab)).catch(() => undefined)
    }
  }, [scenario, tab])
  useEffect(() => () => tab.dispose(), [tab])
  return (
    <AuthProvider client={tab.client}>
      <QueryClientProvider client={tab.queryClient}>
        <AuthQueryBridge />
        {children(tab)}
      </QueryClientProvider>
    </AuthProvider>
  )
}

/** The playground's main card: the session when signed in, else the sign-in form. */
export function SessionView({ tab, compact = false }: { tab: StoryTab; compact?: boolean }) {
  const status = useAuthState((s) => s.status)
  return (
    <div style={{ maxWidth: 760 }}>
      {status === 'authenticated' ? (
        <SessionCard compact={compact} />
      ) : (
        <SignInForm signIn={async () => tab.transport.signIn()} demoUser={undefined} />
      )}
    </div>
  )
}

/** Swallows the rejection of a refresh a story provokes on purpose. */
export const quietly = (promise: Promise<unknown>) => void promise.catch(() => undefined)
