import { useState } from 'react'
import { type EmulatorControl, EmulatorControlError, type FaultState } from '../emulatorControl'

export interface LostReplyControlProps {
  control: EmulatorControl
  /** The app client's rotation settings, from the pool; undefined while unknown. */
  rotation: { enabled: boolean; retryGracePeriodSeconds: number } | undefined
  /** Called with the emulator's fault state once the fault is queued. */
  onQueued: (faults: FaultState) => void
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'queued' }
  | { kind: 'unsupported'; detail: string }
  | { kind: 'failed'; detail: string }

/**
 * Loses the next refresh reply: the emulator rotates the refresh token, then closes the socket
 * before answering. The tab sees a NetworkError and retries with the token it still holds; within
 * the grace period Cognito (and the emulator) answer that retry, so the tab recovers the
 * successor and stays signed in. With a grace period of 0 the retry is a reuse and the session
 * ends, so the control is offered only above 0.
 */
export function LostReplyControl({ control, rotation, onQueued }: LostReplyControlProps) {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })
  const noGrace = rotation?.enabled === true && rotation.retryGracePeriodSeconds <= 0
  const disabled = noGrace || outcome.kind === 'unsupported'
  const queue = () =>
    control.setFaults({ failNext: [{ kind: 'lostReply' }] }).then(
      (faults) => {
        setOutcome({ kind: 'queued' })
        onQueued(faults)
      },
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error)
        // An emulator without the fault kind refuses it as bad input.
        const unsupported = error instanceof EmulatorControlError && error.status === 400
        setOutcome({ kind: unsupported ? 'unsupported' : 'failed', detail })
      },
    )
  const hint = noGrace
    ? 'Needs a rotation grace period above 0: with 0 the retry is refused as reuse'
    : `Rotated, then the socket closes before the reply: the retry recovers the successor${
        rotation?.enabled ? ` (grace ${rotation.retryGracePeriodSeconds} s)` : ''
      }`
  return (
    <>
      <button
        className="toggle toggle-once"
        title={hint}
        disabled={disabled}
        onClick={() => void queue()}
        data-testid="lost-reply"
      >
        <span className="toggle-label">Next refresh: reply lost</span>
        <span className="toggle-hint">{hint}</span>
      </button>
      {outcome.kind === 'unsupported' && (
        <p className="form-error toggles-note" role="alert" data-testid="lost-reply-unsupported">
          This emulator does not offer the lost-reply fault: it refused the kind{' '}
          <code>lostReply</code> ({outcome.detail}). Update the emulator to one with lost-reply
          faults to try this.
        </p>
      )}
      {outcome.kind === 'failed' && (
        <p className="form-error toggles-note" role="alert">
          The lost-reply fault was not queued: {outcome.detail}
        </p>
      )}
      {outcome.kind === 'queued' && (
        <p className="muted small toggles-note" data-testid="lost-reply-queued">
          Queued. Refresh now: the log shows a failure, then the retry picking up the successor, and
          no sign-out.
        </p>
      )}
    </>
  )
}
