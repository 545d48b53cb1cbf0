/**
 * Headless sign-in: a state machine over InitiateAuth and RespondToAuthChallenge that an app
 * renders itself. Each step says what to ask the user for; each action answers it. A wrong code
 * or password keeps the step (with `error`) so the user can try again; a lapsed challenge goes
 * back to the start, saying so; nothing here ever signs anyone out. The tokens go through
 * `client.setSession`, so every tab follows. The password is never kept.
 */
import type { AuthClient } from '../core/client/options'
import { AuthError, toAuthError } from '../core/errors'
import { systemClock } from '../core/platform/clock'
import { createStore } from '../core/store'
import type { TokenSet } from '../core/tokens'
import { choiceStep, chosenStep, firstStep } from './firstStep'
import {
  cognitoCall,
  common,
  hashFor,
  type FirstFactor,
  lapsed,
  type MfaType,
  readReply,
  type Reply,
  stepOf,
  totpUri,
} from './challengeWire'
import {
  challengeLifetimeMs,
  type SignInFlowOptions,
  type SignInState,
  startState,
} from './signInState'

export type { SignInFlowOptions, SignInState } from './signInState'

export function createSignIn(client: AuthClient, options: SignInFlowOptions) {
  const clock = options.clock ?? systemClock
  const store = createStore<SignInState>(startState)
  let session: { token: string; challenge: string; username: string } | undefined
  let generation = 0

  /** Merges `patch`; a patch that changes nothing notifies no one. */
  const set = (patch: Partial<SignInState>) => {
    const current = store.getSnapshot() as Record<string, unknown>
    if (Object.entries(patch).some(([k, v]) => !Object.is(current[k], v)))
      store.setState({ ...store.getSnapshot(), ...patch } as SignInState)
  }

  async function send(operation: string, body: Record<string, unknown>, secrets: string[]) {
    return cognitoCall(operation, body, {
      ...options,
      clock,
      signal: new AbortController().signal,
      secrets: secrets.filter((s) => s !== ''),
    })
  }
  const ctx = { options, send, clock }

  /** Runs one request; a reply from an older attempt (after `reset()`) is dropped. */
  async function run(work: () => Promise<Reply>): Promise<void> {
    const mine = ++generation
    set({ busy: true, error: null })
    try {
      const reply = await work()
      if (mine !== generation) return
      await take(reply)
    } catch (error) {
      if (mine !== generation) return
      const e = toAuthError(error)
      const expired =
        e.code === 'ChallengeExpired' ||
        (e.code === 'NotAuthorizedException' && session !== undefined && /session/i.test(e.message))
      if (expired) {
        session = undefined
        store.setState({ ...startState, username: store.getSnapshot().username, error: lapsed() })
      } else set({ busy: false, error: e })
    }
  }

  async function take(reply: Reply): Promise<void> {
    const { username: known } = store.getSnapshot()
    /** Back to the start with `error`: what follows cannot go on from the current step. */
    const restart = (error: unknown) => {
      session = undefined
      store.setState({ ...startState, username: known, error: toAuthError(error) })
    }
    if ('result' in reply) {
      session = undefined
      let tokens: TokenSet
      try {
        tokens = client.setSession(reply.result) // InvalidSession for tokens it cannot use
      } catch (error) {
        return restart(error)
      }
      const username = known
      store.setState({
        step: 'signedIn',
        tokens,
        busy: false,
        error: null,
        username,
        expiresAt: null,
      })
      return
    }
    const username = reply.parameters.USER_ID_FOR_SRP ?? session?.username ?? known ?? ''
    session = { token: reply.session, challenge: reply.challenge, username }
    const expiresAt = clock.now() + challengeLifetimeMs
    if (reply.challenge === 'MFA_SETUP') {
      // An authenticator app is the factor a user can set up here: ask Cognito for its secret.
      let associated: Record<string, unknown>
      try {
        associated = await send('AssociateSoftwareToken', { Session: reply.session }, [
          reply.session,
        ])
      } catch (error) {
        return restart(error)
      }
      const secret = String(associated.SecretCode ?? '')
      session = { ...session, token: String(associated.Session ?? reply.session) }
      const uri = totpUri(secret, username, options.totpIssuer)
      store.setState({
        step: 'setupTotp',
        secret,
        uri,
        busy: false,
        error: null,
        username,
        expiresAt,
      })
      return
    }
    const step = stepOf(reply.challenge, reply.parameters, reply.available)
    if (step === undefined) {
      session = undefined
      throw new AuthError(
        'ConfigurationError',
        `The ${reply.challenge.slice(0, 40)} challenge is not one this flow answers.`,
        { kind: 'fatal' },
      )
    }
    store.setState({ ...step, busy: false, error: null, username, expiresAt })
  }

  /** Answers the current challenge; refuses without a live one. */
  async function respond(responses: Record<string, string>, secrets: string[]): Promise<Reply> {
    const current = session
    const { expiresAt } = store.getSnapshot()
    if (current === undefined || (expiresAt !== null && clock.now() >= expiresAt)) throw lapsed()
    const json = await send(
      'RespondToAuthChallenge',
      {
        ...common(options, current.username),
        ChallengeName: current.challenge,
        Session: current.token,
        ChallengeResponses: {
          USERNAME: current.username,
          ...(await hashFor(options, current.username)),
          ...responses,
        },
      },
      [current.token, ...secrets],
    )
    return readReply(json)
  }

  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,

    /** Starts with a password: USER_PASSWORD_AUTH, or USER_SRP_AUTH with the `srp` option. */
    signIn({ username, password }: { username: string; password: string }) {
      session = undefined
      store.setState({ ...startState, username, busy: true })
      return run(() => firstStep(ctx, { username, password }))
    },

    /** Choice-based sign-in (USER_AUTH): the factors this user may choose (`selectFactor`). */
    start({ username }: { username: string }) {
      session = undefined
      store.setState({ ...startState, username, busy: true })
      return run(() => choiceStep(ctx, username))
    },

    /** `selectFactor`: a password (`PASSWORD`, or `PASSWORD_SRP` with `srp`), or a one-time code. */
    chooseFactor(factor: FirstFactor, { password }: { password?: string } = {}) {
      const username = session?.username ?? store.getSnapshot().username ?? ''
      return run(() => chosenStep(ctx, respond, factor, username, password))
    },

    /** NEW_PASSWORD_REQUIRED: the new password, and any attributes the pool requires. */
    setNewPassword(password: string, attributes: Record<string, string> = {}) {
      const extra = Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [`userAttributes.${k}`, v]),
      )
      return run(() => respond({ NEW_PASSWORD: password, ...extra }, [password]))
    },

    /** The code of the current step: authenticator app, SMS, email, or the set-up one. */
    submitCode(code: string, { deviceName }: { deviceName?: string } = {}) {
      const { step } = store.getSnapshot()
      if (step === 'setupTotp') {
        return run(async () => {
          const current = session
          if (current === undefined) throw lapsed()
          const verified = await send(
            'VerifySoftwareToken',
            {
              Session: current.token,
              UserCode: code,
              ...(deviceName !== undefined && { FriendlyDeviceName: deviceName }),
            },
            [current.token, code],
          )
          session = { ...current, token: String(verified.Session ?? current.token) }
          return respond({}, [])
        })
      }
      // SOFTWARE_TOKEN_MFA_CODE, SMS_MFA_CODE, SMS_OTP_CODE or EMAIL_OTP_CODE: the challenge's own.
      const key = `${session?.challenge ?? 'SOFTWARE_TOKEN_MFA'}_CODE`
      return run(() => respond({ [key]: code }, [code]))
    },

    /** SELECT_MFA_TYPE: the factor to go on with. */
    selectMfa(type: MfaType) {
      return run(() => respond({ ANSWER: type }, []))
    },

    /** Back to the start; a request still on the wire is ignored. */
    reset() {
      generation++
      session = undefined
      store.setState(startState)
    },
  }
}

export type SignInFlow = ReturnType<typeof createSignIn>
