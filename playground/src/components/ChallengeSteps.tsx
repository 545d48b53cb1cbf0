import { type FormEvent, useState } from 'react'
import type { AuthError } from 'react-cognito-refresh'
import type { FirstFactor, MfaType, SignInState } from 'react-cognito-refresh/sign-in'

/** What the step form can do: the flow's actions (`useSignIn`'s), and helpers of the playground. */
export interface ChallengeActions {
  signIn(credentials: { username: string; password: string }): void
  setNewPassword(password: string): void
  submitCode(code: string): void
  selectMfa(type: MfaType): void
  chooseFactor(factor: FirstFactor, input?: { password?: string }): void
  reset(): void
  /** A code the playground can fill in (the emulator's email or SMS, the demo authenticator). */
  helperCode?: (() => Promise<string | undefined>) | undefined
}

const factorLabel: Record<FirstFactor, string> = {
  PASSWORD: 'Password',
  PASSWORD_SRP: 'Password (SRP)',
  EMAIL_OTP: 'A code by email',
  SMS_OTP: 'A code by text message',
  WEB_AUTHN: 'A passkey',
}

const mfaLabel: Record<MfaType, string> = {
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
  SMS_MFA: 'Text message',
  EMAIL_OTP: 'Email',
}

function StepError({ error }: { error: AuthError | null }) {
  if (error === null) return null
  return (
    <p className="form-error" role="alert" data-testid="step-error">
      <code>{error.code}</code> {error.message}
    </p>
  )
}

function Field(props: {
  label: string
  name: string
  type?: string
  autoComplete?: string
  value: string
  onChange(v: string): void
}) {
  return (
    <label>
      <span>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required
      />
    </label>
  )
}

/** One form per step of a headless sign-in; it renders `state` and calls `actions`, nothing more. */
export function ChallengeSteps({
  state,
  actions,
}: {
  state: SignInState
  actions: ChallengeActions
}) {
  const [username, setUsername] = useState(state.username ?? '')
  const [secret, setSecret] = useState('')
  const submit = (event: FormEvent, run: () => void) => {
    event.preventDefault()
    run()
    setSecret('')
  }
  const busy = state.busy
  const code = (label: string, hint?: string) => (
    <form className="form" onSubmit={(e) => submit(e, () => actions.submitCode(secret))}>
      {hint !== undefined && <p className="muted small">{hint}</p>}
      <Field
        label={label}
        name="code"
        autoComplete="one-time-code"
        value={secret}
        onChange={setSecret}
      />
      <StepError error={state.error} />
      <div className="actions">
        <button className="button" type="submit" disabled={busy}>
          Verify
        </button>
        {actions.helperCode !== undefined && (
          <button
            className="button button-quiet"
            type="button"
            onClick={() => void actions.helperCode?.().then((c) => c !== undefined && setSecret(c))}
          >
            Fill in the code
          </button>
        )}
        <button className="button button-quiet" type="button" onClick={actions.reset}>
          Start again
        </button>
      </div>
    </form>
  )

  switch (state.step) {
    case 'start':
      return (
        <form
          className="form"
          onSubmit={(e) => submit(e, () => actions.signIn({ username, password: secret }))}
        >
          <Field
            label="Username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={setUsername}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={secret}
            onChange={setSecret}
          />
          <StepError error={state.error} />
          <div className="actions">
            <button className="button" type="submit" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      )
    case 'newPassword':
      return (
        <form className="form" onSubmit={(e) => submit(e, () => actions.setNewPassword(secret))}>
          <p className="muted small">
            Choose a new password: this account was created with a temporary one.
          </p>
          <Field
            label="New password"
            name="new-password"
            type="password"
            autoComplete="new-password"
            value={secret}
            onChange={setSecret}
          />
          <StepError error={state.error} />
          <div className="actions">
            <button className="button" type="submit" disabled={busy}>
              Set password
            </button>
          </div>
        </form>
      )
    case 'totpCode':
      return code('Authenticator code', 'Enter the 6-digit code from your authenticator app.')
    case 'smsCode':
      return code('Code', `We sent a code by text message to ${state.destination ?? 'your phone'}.`)
    case 'emailCode':
      return code('Code', `We sent a code by email to ${state.destination ?? 'your address'}.`)
    case 'selectMfa':
      return (
        <div className="form">
          <p className="muted small">How do you want to confirm it is you?</p>
          <StepError error={state.error} />
          <div className="actions">
            {state.options.map((type) => (
              <button
                key={type}
                className="button"
                type="button"
                disabled={busy}
                onClick={() => actions.selectMfa(type)}
              >
                {mfaLabel[type]}
              </button>
            ))}
          </div>
        </div>
      )
    case 'selectFactor': {
      const needsPassword = (f: FirstFactor) => f === 'PASSWORD' || f === 'PASSWORD_SRP'
      return (
        <div className="form">
          <p className="muted small">Sign in with:</p>
          {state.options.some(needsPassword) && (
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={secret}
              onChange={setSecret}
            />
          )}
          <StepError error={state.error} />
          <div className="actions">
            {state.options
              .filter((f) => f !== 'WEB_AUTHN')
              .map((f) => (
                <button
                  key={f}
                  className="button"
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    actions.chooseFactor(f, needsPassword(f) ? { password: secret } : {})
                  }
                >
                  {factorLabel[f]}
                </button>
              ))}
          </div>
        </div>
      )
    }
    case 'setupTotp':
      return (
        <>
          <p className="muted small">
            Set up an authenticator app: scan <code data-testid="totp-uri">{state.uri}</code> or
            type the key <code data-testid="totp-secret">{state.secret}</code>, then enter its code.
          </p>
          {code('Authenticator code')}
        </>
      )
    case 'signedIn':
      return <p data-testid="signed-in">Signed in as {state.username}.</p>
  }
}
