/**
 * A short, stable label for this tab ("Tab 3") so the activity log can say which tab refreshed
 * and which adopted. The number comes from a counter shared by the tabs; `window.name` keeps it
 * across reloads of the same tab (it is not copied to tabs opened from this one, unlike
 * sessionStorage).
 */
export interface TabLabel {
  id: string
  name: string
  /** One of a few hues, so entries from different tabs are told apart at a glance. */
  hue: number
}

const prefix = 'rcr-playground-tab-'
const counterKey = 'rcr-playground.tabCounter'
const hues = [243, 158, 25, 330, 199, 48]

export function labelFor(n: number): TabLabel {
  return { id: `tab-${n}`, name: `Tab ${n}`, hue: hues[(n - 1) % hues.length] ?? 243 }
}

export function currentTab(): TabLabel {
  const kept = window.name.startsWith(prefix) ? Number(window.name.slice(prefix.length)) : NaN
  if (Number.isInteger(kept) && kept > 0) return labelFor(kept)
  let n = 1
  try {
    n = (Number(localStorage.getItem(counterKey)) || 0) + 1
    localStorage.setItem(counterKey, String(n))
  } catch {
    // Storage blocked: every tab is "Tab 1", the log still works.
  }
  window.name = `${prefix}${n}`
  return labelFor(n)
}
