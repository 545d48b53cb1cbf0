/**
 * Page lifecycle signals that mean "timers may have been late, look again": the page became
 * visible, got focus, came back online or was restored from the back-forward cache.
 */
export type WakeReason = 'visible' | 'focus' | 'online' | 'pageshow'

/** Calls `onWake` on each signal and returns a function that stops listening. */
export type Lifecycle = (onWake: (reason: WakeReason) => void) => () => void

interface EventTargetLike {
  addEventListener(type: string, listener: (event: { type: string }) => void): void
  removeEventListener(type: string, listener: (event: { type: string }) => void): void
}

/** The window events whose type is their wake reason. */
const windowEvents = ['focus', 'online', 'pageshow'] as const

export const browserLifecycle: Lifecycle = (onWake) => {
  const win = globalThis as unknown as Partial<EventTargetLike>
  const doc = (globalThis as { document?: EventTargetLike & { visibilityState?: string } }).document
  if (typeof win.addEventListener !== 'function') return () => undefined
  const target = win as EventTargetLike
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') onWake('visible')
  }
  const onEvent = (event: { type: string }) => onWake(event.type as WakeReason)
  doc?.addEventListener('visibilitychange', onVisibility)
  for (const type of windowEvents) target.addEventListener(type, onEvent)
  return () => {
    doc?.removeEventListener('visibilitychange', onVisibility)
    for (const type of windowEvents) target.removeEventListener(type, onEvent)
  }
}

export const noLifecycle: Lifecycle = () => () => undefined
