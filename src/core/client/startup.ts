/**
 * How a client starts: from the stored session, or, when the shared slot is corrupt or storage is
 * private to the tab, from what the other tabs answer. A start without a session ends in
 * `noSession`, never silently.
 */
import type { SessionSync } from '../tabs/sessionSync'
import type { AuthSnapshot } from '../state'
import type { TokenSet } from '../tokens'

export interface StartupContext {
  sync: SessionSync
  peerTimeoutMs: number
  snapshot(): AuthSnapshot
  /** The stored session is usable: show it. */
  found(tokens: TokenSet): void
  /** Another tab answered with its session: take it. */
  adopt(tokens: TokenSet): void
  /** No session here, nor in a tab that answered. */
  none(): void
}

/** Starts; returns the wait for the other tabs' answer when the start has to ask them first. */
export function startSession(ctx: StartupContext): Promise<void> | undefined {
  const { sync } = ctx
  const tokens = sync.read({ report: true })
  if (tokens !== undefined) return void ctx.found(tokens)
  const shared = sync.shared()
  // A corrupt shared slot, or tab-private storage while another tab may hold a session: ask the
  // other tabs before deciding (status stays 'loading'); an answer also repairs the slot.
  if (shared ? sync.slot() === 'unusable' : sync.sessionElsewhere()) {
    return sync.askPeers(ctx.peerTimeoutMs).then((peer) => {
      if (ctx.snapshot().status !== 'loading') return
      if (peer !== undefined && (shared ? !sync.signedOut(peer) : sync.sessionElsewhere(peer))) {
        if (shared) sync.write(peer)
        return ctx.adopt(peer)
      }
      if (!shared) sync.clear(undefined) // a stale marker: the last tab with the session is gone
      ctx.none()
    })
  }
  ctx.none()
  // An empty slot with no tombstone: storage may have been cleared under open tabs. Decide now
  // (a signed-out visitor must not wait) and ask: a tab that answers is followed (tabMessages).
  if (shared && sync.slot() === 'empty') sync.requestSession()
  return undefined
}
