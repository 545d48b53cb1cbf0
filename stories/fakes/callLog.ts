/**
 * What the fake Cognito answered to which tab, for the cross-tab stories: each tab gets its own
 * view of the one shared story transport, and every refresh call it makes is recorded with its
 * outcome (error codes and versions only, never token material).
 */
import type { StoryTransport } from './transport'

export interface CallRecord {
  id: number
  tab: string
  /** "tokens" for an answer with tokens, else the error code. */
  outcome: string
}

export interface CallLog {
  subscribe(listener: () => void): () => void
  getSnapshot(): readonly CallRecord[]
  /**
   * `inner` as seen from tab `tab`: calls are recorded, and each waits `delayMs` more first (so
   * a story can decide which tab's request arrives second).
   */
  tap(inner: StoryTransport, tab: string, delayMs?: number): StoryTransport
}

export function createCallLog(): CallLog {
  let records: readonly CallRecord[] = []
  const listeners = new Set<() => void>()
  const add = (tab: string, outcome: string) => {
    records = [...records, { id: records.length + 1, tab, outcome }]
    listeners.forEach((l) => l())
  }
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    getSnapshot: () => records,
    tap(inner, tab, delayMs = 0) {
      // The prototype keeps the inner transport's getters live (refreshCount, callCount).
      const view = Object.create(inner) as StoryTransport
      view.refresh = async (request, context) => {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
        try {
          const result = await inner.refresh(request, context)
          add(tab, 'tokens')
          return result
        } catch (error) {
          add(tab, (error as { code?: string }).code ?? 'Error')
          throw error
        }
      }
      return view
    },
  }
}
