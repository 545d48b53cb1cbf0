/**
 * Page lifecycle signals that mean "timers may have been late, look again": the page became
 * visible, got focus, came back online or was restored from the back-forward cache.
 */
export type WakeReason = 'visible' | 'focus' | 'online' | 'pageshow'

/** Calls `onWake` on each signal and returns a function that stops listening. */
export type Lifecycle = (onWake: (reason: WakeReason) => void) => () => void

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

export const browserLifecycle: Lifecycle = (onWake) => {
  const win = globalThis as unknown as Partial<EventTargetLike>
  const doc = (globalThis as { document?: EventTargetLike & { visibilityState?: string } }).document
  if (typeof win.addEventListener !== 'function') return () => undefined
  const target = win as EventTargetLike
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') onWake('visible')
  }
  const onFocus = () => onWake('focus')
  const onOnline = () => onWake('online')
  const onPageShow = () => onWake('pageshow')
  doc?.addEventListener('visibilitychange', onVisibility)
  target.addEventListener('focus', onFocus)
  target.addEventListener('online', onOnline)
  target.addEventListener('pageshow', onPageShow)
  return () => {
    doc?.removeEventListener('visibilitychange', onVisibility)
    target.removeEventListener('focus', onFocus)
    target.removeEventListener('online', onOnline)
    target.removeEventListener('pageshow', onPageShow)
  }
}

export const noLifecycle: Lifecycle = () => () => undefined
