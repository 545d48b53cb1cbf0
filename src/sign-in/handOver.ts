/**
 * The popup's end of a popup sign-in: its callback page hands the URL to the page that opened it,
 * which holds the verifier and completes it. Part of every `managedLogin`, since the popup runs
 * the same app; the opener's end is `signInWithPopup`.
 */
/** Starts the `state` of a popup sign-in, so its callback page knows to hand the URL over. */
export const popupStatePrefix = 'p.'
export const messageType = 'react-cognito-refresh:callback'

/**
 * At a popup sign-in's callback, in the popup: posts the URL to the opener when it is of this
 * origin. False when there is no such opener (the callback then runs as a redirect's would).
 */
export function handToOpener(url: string, state: string): boolean {
  if (!state.startsWith(popupStatePrefix) || typeof window !== 'object') return false
  try {
    const opener = window.opener as Window | null
    // Reading a foreign opener's origin throws: no hand-over then.
    if (opener == null || opener.location.origin !== location.origin) return false
    opener.postMessage({ type: messageType, url }, location.origin)
    return true
  } catch {
    return false
  }
}
