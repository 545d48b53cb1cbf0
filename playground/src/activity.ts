/**
 * The cross-tab activity log: each tab records what its own client did (refreshed, adopted, a
 * failure, sign-in, sign-out) and posts it on a channel, so every tab shows who did what. Entries
 * carry versions and error codes only, never token material.
 */
import type { AuthClient } from 'react-cognito-refresh'
import type { Channel } from 'react-cognito-refresh/core'
import type { TabLabel } from './tab'

export type ActivityKind = 'refreshed' | 'adopted' | 'failed' | 'signedIn' | 'signedOut'

export interface ActivityEntry {
  id: string
  at: number
  tab: TabLabel
  kind: ActivityKind
  /** A short sentence, e.g. "refreshed: version 3". */
  detail: string
}

export interface ActivityFeed {
  subscribe(listener: () => void): () => void
  getSnapshot(): readonly ActivityEntry[]
  /** Starts recording `client`'s events; returns the matching stop. */
  record(client: AuthClient): () => void
  dispose(): void
}

const maxEntries = 60

function isEntry(value: unknown): value is ActivityEntry {
  const v = value as Partial<ActivityEntry> | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.at === 'number' &&
    typeof v.kind === 'string' &&
    typeof v.detail === 'string' &&
    typeof v.tab?.name === 'string'
  )
}

export function createActivityFeed(tab: TabLabel, channel: Channel): ActivityFeed {
  let entries: readonly ActivityEntry[] = []
  const listeners = new Set<() => void>()
  let seq = 0
  const add = (entry: ActivityEntry) => {
    if (entries.some((e) => e.id === entry.id)) return
    entries = [entry, ...entries].slice(0, maxEntries)
    listeners.forEach((l) => l())
  }
  const publish = (kind: ActivityKind, detail: string) => {
    const entry: ActivityEntry = {
      id: `${tab.id}:${Date.now()}:${seq++}`,
      at: Date.now(),
      tab,
      kind,
      detail,
    }
    add(entry)
    channel.post(entry)
  }
  const stopChannel = channel.subscribe((message) => {
    if (isEntry(message)) add(message)
  })
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    getSnapshot: () => entries,
    record(client) {
      const stops = [
        client.on('tokensRefreshed', (e) =>
          publish('refreshed', `version ${e.version}, from Cognito`),
        ),
        client.on('tokensAdopted', (e) =>
          publish(
            'adopted',
            `version ${e.version}, from ${e.from === 'channel' ? 'another tab' : 'shared storage'}`,
          ),
        ),
        client.on('refreshFailed', (e) =>
          publish(
            'failed',
            `${e.error.code}` +
              (e.willRetry && e.retryInMs !== undefined
                ? `, retrying in ${(e.retryInMs / 1000).toFixed(1)} s`
                : ''),
          ),
        ),
        client.on('signedIn', (e) =>
          publish('signedIn', e.fromOtherTab ? 'in another tab' : 'with a password'),
        ),
        client.on('signedOut', (e) => {
          // A tab that starts without a session has nothing to log: nobody signed out.
          if (e.reason === 'noSession') return
          publish('signedOut', `reason: ${e.reason}${e.fromOtherTab ? ', in another tab' : ''}`)
        }),
      ]
      return () => stops.forEach((stop) => stop())
    },
    dispose() {
      stopChannel()
      channel.close()
      listeners.clear()
    },
  }
}
