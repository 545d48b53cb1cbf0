import { useSyncExternalStore } from 'react'
import type { ActivityEntry, ActivityFeed } from './activity'

export function useActivity(feed: ActivityFeed): readonly ActivityEntry[] {
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot, feed.getSnapshot)
}
