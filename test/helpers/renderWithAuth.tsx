import { act, cleanup, render, renderHook, type RenderOptions } from '@testing-library/react'
import { Profiler, type ReactElement, type ReactNode, StrictMode } from 'react'
import { afterEach } from 'vitest'
import { noLock } from '../../src/core/platform/lock'
import { AuthProvider } from '../../src/react/AuthProvider'
import { createChannelHub, createManualLifecycle } from './fakeEnvironment'
import { createFakeTransport } from './fakeTransport'
import { ManualClock } from './manualClock'
import { seededRandom, setup, type SetupOptions, sharedStorage } from './testClient'

// Vitest runs without globals, so Testing Library cannot register its own cleanup: unmount every
// tree after each test of a file that imports this helper (which unmounts its clients too).
afterEach(() => {
  cleanup()
})

export interface RenderWithAuthOptions extends SetupOptions {
  /** Wrap in <StrictMode>. @default true */
  strict?: boolean
  /** Extra providers inside the AuthProvider (e.g. a QueryClientProvider). */
  inner?: (children: ReactNode) => ReactNode
}

/**
 * One client on fakes (see `setup()`), and `ui` rendered in <StrictMode><AuthProvider client>.
 * `advance(ms)` moves the manual clock inside act(), so React sees every store change.
 */
export function renderWithAuth(
  ui: ReactElement,
  { strict = true, inner, ...options }: RenderWithAuthOptions = {},
  renderOptions: Omit<RenderOptions, 'wrapper'> = {},
) {
  const env = setup(options)
  const wrapper = authWrapper(env.client, strict, inner)
  const result = render(ui, { ...renderOptions, wrapper })
  return { ...env, ...result, advance: (ms: number) => act(() => env.clock.advance(ms)) }
}

/** `renderHook` with the same wrapping as `renderWithAuth`. */
export function renderHookWithAuth<TResult>(
  hook: () => TResult,
  { strict = true, inner, ...options }: RenderWithAuthOptions = {},
) {
  const env = setup(options)
  const result = renderHook(hook, { wrapper: authWrapper(env.client, strict, inner) })
  return { ...env, ...result, advance: (ms: number) => act(() => env.clock.advance(ms)) }
}

function authWrapper(
  client: ReturnType<typeof setup>['client'],
  strict: boolean,
  inner: ((children: ReactNode) => ReactNode) | undefined,
) {
  return function Wrapper({ children }: { children: ReactNode }) {
    const tree = <AuthProvider client={client}>{inner ? inner(children) : children}</AuthProvider>
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
}

/**
 * Counts the commits of a subtree (mount and updates) with a Profiler: StrictMode's double render
 * calls a component twice but commits once, so this counts what the user would see.
 */
export function createCommitCounter() {
  const counts = new Map<string, number>()
  function Counted({ id, children }: { id: string; children: ReactNode }) {
    return (
      <Profiler id={id} onRender={() => counts.set(id, (counts.get(id) ?? 0) + 1)}>
        {children}
      </Profiler>
    )
  }
  return { Counted, count: (id: string) => counts.get(id) ?? 0, reset: () => counts.clear() }
}

/** The listener count of a hub channel (`setup()` types it as a plain Channel). */
export function channelListeners(channel: unknown): number {
  return (channel as { listenerCount: number }).listenerCount
}

/** Client options on fakes for `<AuthProvider options={…}>`, with the fakes to observe it by. */
export function providerFakes(seed = 3) {
  const clock = new ManualClock()
  const life = createManualLifecycle()
  const channel = createChannelHub().channel()
  const transport = createFakeTransport({ now: clock.now, expiresIn: 3600 })
  const options = {
    clientId: 'testclient',
    transport,
    storage: sharedStorage(),
    environment: {
      clock,
      channel,
      lifecycle: life.lifecycle,
      lock: noLock,
      random: seededRandom(seed),
    },
  }
  return { clock, life, channel, transport, options }
}
