import { TOTP } from 'otpauth'
import { useState } from 'react'
import { useSignIn } from 'react-cognito-refresh/sign-in/react'
import { srp } from 'react-cognito-refresh/sign-in/srp'
import { challengePassword, challengeUsers, demoTotpSecret } from '../challengeUsers'
import type { EmulatorControl } from '../emulatorControl'
import { ChallengeSteps } from './ChallengeSteps'

interface Props {
  clientId: string
  endpoint: string
  userPoolId: string | undefined
  control: EmulatorControl | undefined
}

const totpNow = (secret: string) => new TOTP({ secret, digits: 6, period: 30 }).generate()

function Flow({ withSrp, clientId, endpoint, userPoolId, control }: Props & { withSrp: boolean }) {
  const signIn = useSignIn({
    clientId,
    endpoint,
    ...(userPoolId !== undefined && { userPoolId }),
    ...(withSrp && { srp }),
  })
  // The codes a user would read from a phone or a mailbox, filled in from the emulator.
  const helperCode =
    control === undefined
      ? undefined
      : async () => {
          if (signIn.step === 'setupTotp') return totpNow(signIn.secret)
          if (signIn.step === 'totpCode') return totpNow(demoTotpSecret)
          if (signIn.username === null) return undefined
          return (await control.messages(signIn.username)).messages.at(-1)?.code
        }
  return <ChallengeSteps state={signIn} actions={{ ...signIn, helperCode }} />
}

/** Headless sign-in with the library's state machine: the app renders every step itself. */
export function ChallengeSignIn(props: Props) {
  const [withSrp, setWithSrp] = useState(false)
  return (
    <section className="card" aria-label="Your own sign-in form">
      <header className="card-head">
        <h2 className="card-title">Your own form (useSignIn)</h2>
      </header>
      <label className="small">
        <input type="checkbox" checked={withSrp} onChange={(e) => setWithSrp(e.target.checked)} />{' '}
        SRP (<code>USER_SRP_AUTH</code>: the password never leaves the page)
      </label>
      <Flow key={`${withSrp}:${props.userPoolId ?? ''}`} withSrp={withSrp} {...props} />
      {props.control !== undefined && (
        <p className="muted small">
          Emulator users, password <code>{challengePassword}</code>:{' '}
          {challengeUsers.map((u, i) => (
            <span key={u.username}>
              {i > 0 && ', '}
              <code>{u.username}</code> ({u.what})
            </span>
          ))}
          ; the demo user has no challenge.
        </p>
      )}
    </section>
  )
}
