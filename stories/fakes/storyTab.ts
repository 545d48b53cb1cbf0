/**
 * One "tab" of a story: an AuthClient on the in-memory environment and a story transport, its
 * fake API, its activity feed and its query cache. Everything is in memory and fake; `dispose()`
 * releases it when the story unmounts.
 */
import { QueryClient } from '@tanstack/react-query'
import { type AuthClient, type AuthClientOptions, createAuthClient } from 'react-cognito-refresh'
import { type Channel, noLifecycle } from 'react-cognito-refresh/core'
import { type ActivityFeed, createActivityFeed } from '../../playground/src/activity'
import { labelFor, type TabLabel } from '../../playground/src/tab'
import { createFakeApi, type FakeApi } from './api'
import { createChannelHub, createSharedEnvironment, type SharedEnvironment } from './environment'
import { createStoryTransport, type StoryTransport } from './transport'

export const storyClientId = 'storyclient0000000000000001'

export interface StoryTab {
  n: number
  label: TabLabel
  client: AuthClient
  transport: StoryTransport
  api: FakeApi
  feed: ActivityFeed
  queryClient: QueryClient
  dispose(): void
}

export interface StoryTabOptions {
  n?: number
  env?: SharedEnvironment
  transport?: StoryTransport
  /** The channel the tabs' activity feeds share. @default a private one */
  activityChannel?: Channel
  /** Start signed in (setSession with a fresh fake sign-in). @default false */
  signedIn?: boolean
  /** Overrides, e.g. tab-private storage for the loading story. */
  client?: Partial<AuthClientOptions>
}

export function createStoryTab(options: StoryTabOptions = {}): StoryTab {
  const n = options.n ?? 1
  const env = options.env ?? createSharedEnvironment()
  const transport = options.transport ?? createStoryTransport()
  // A fixed random per tab: a known refresh jitter, and backoff delays long enough that a
  // retrying state stays on screen (full jitter of a 60 s base).
  const fixed = n === 1 ? 0.9 : 0.3
  const { environment, ...clientOptions } = options.client ?? {}
  const client = createAuthClient({
    clientId: storyClientId,
    transport,
    storage: env.storage,
    environment: {
      lock: env.lock,
      channel: env.hub.channel(),
      lifecycle: noLifecycle,
      random: () => fixed,
      ...environment,
    },
    backoff: { baseMs: 60_000, maxMs: 120_000 },
    peerTimeoutMs: 300,
    ...clientOptions,
  })
  const label = labelFor(n)
  const feed = createActivityFeed(label, options.activityChannel ?? createChannelHub().channel())
  const stopFeed = feed.record(client)
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  if (options.signedIn) client.setSession(transport.signIn())
  return {
    n,
    label,
    client,
    transport,
    api: createFakeApi(transport),
    feed,
    queryClient,
    dispose() {
      stopFeed()
      feed.dispose()
      queryClient.clear()
      client.dispose()
    },
  }
}
