/**
 * The opener's end of a popup sign-in: it waits for the callback URL the popup reaches, by a
 * message from the app's callback page in the popup (handOver.ts) or, when that page runs no code
 * of ours, by reading the popup's address once it is back on the app's origin, then completes it
 * here, where the verifier is.
 */
import { AuthError } from '../core/errors'
import type { Clock, TimerHandle } from '../core/platform/clock'
import { parts } from './exchange'
import { messageType } from './handOver'
import type { CallbackResult, ManagedLogin, SignInRedirectOptions } from './managedLogin'

const pollMs = 100

export interface SignInPopupOptions extends SignInRedirectOptions {
  /** How long the popup may stay open. @default managedLogin's maxSignInMs */
  timeoutMs?: number
  /** window.open's features. @default 'popup,width=480,height=720' */
  features?: string
}

/**
 * Signs in through managed login in a popup and completes it in this page, which never leaves its
 * address; call it from a click handler (the popup opens before anything is awaited, or a popup
 * blocker refuses it). Rejects with `PopupBlocked`, `SignInCancelled` (closed), `TimeoutError`, or
 * what a callback rejects with.
 */
export async function signInWithPopup(
  login: ManagedLogin,
  signIn: SignInPopupOptions = {},
): Promise<CallbackResult> {
  const { authorizeUrl, complete, drop, clock, maxSignInMs, isCallback } = login[parts]
  const popup = window.open(
    '',
    'react-cognito-refresh',
    signIn.features ?? 'popup,width=480,height=720',
  )
  if (popup === null) {
    throw new AuthError(
      'PopupBlocked',
      'The browser blocked the sign-in popup: call signInWithPopup() from a click handler.',
      { kind: 'fatal' },
    )
  }
  let authorize: string
  try {
    popup.location.href = authorize = await authorizeUrl(signIn, true)
  } catch (error) {
    popup.close()
    throw error
  }
  const timeoutMs = signIn.timeoutMs ?? maxSignInMs
  const url = await popupCallback(popup, { clock, timeoutMs, isCallback }).catch((e: unknown) => {
    // Closed or timed out: the started sign-in goes too.
    drop(new URL(authorize).searchParams.get('state') ?? '')
    throw e
  })
  return (await complete(url, false)) as CallbackResult
}

export interface PopupWait {
  clock: Clock
  timeoutMs: number
  /** Whether a URL is this sign-in's callback. */
  isCallback: (url: string) => boolean
}

/**
 * The callback URL the popup reaches; the popup is closed when it is known, when the wait times
 * out, or by the user (a `SignInCancelled`). Every path removes the listener and the timer.
 */
export function popupCallback(popup: Window, { clock, timeoutMs, isCallback }: PopupWait) {
  return new Promise<string>((resolve, reject) => {
    const deadline = clock.now() + timeoutMs
    let timer: TimerHandle
    const end = (outcome: () => void) => {
      window.removeEventListener('message', onMessage)
      clock.clearTimeout(timer)
      try {
        popup.close()
      } catch {
        // already gone
      }
      outcome()
    }
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; url?: unknown } | null
      if (event.source !== popup || event.origin !== location.origin) return
      if (data?.type !== messageType || typeof data.url !== 'string') return
      const url = data.url
      if (isCallback(url)) end(() => resolve(url))
    }
    const fail = (code: 'SignInCancelled' | 'TimeoutError', message: string) =>
      end(() => reject(new AuthError(code, message, { kind: 'fatal' })))
    const poll = () => {
      let url = ''
      try {
        url = popup.location.href
      } catch {
        // on Cognito's origin: not readable, and not back yet
      }
      if (url !== '' && isCallback(url)) return end(() => resolve(url))
      if (popup.closed) return fail('SignInCancelled', 'The sign-in popup was closed.')
      if (clock.now() >= deadline)
        return fail('TimeoutError', `The sign-in popup took over ${timeoutMs} ms.`)
      timer = clock.setTimeout(poll, pollMs)
    }
    window.addEventListener('message', onMessage)
    poll()
  })
}
