/**
 * The first step of a headless sign-in: USER_PASSWORD_AUTH, or with the `srp` option
 * USER_SRP_AUTH and its PASSWORD_VERIFIER answer, so that the password never leaves the browser.
 * Either way the result is what follows the password: tokens or the next challenge.
 */
import { AuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import { common, hashFor, readReply, type Reply } from './challengeWire'
import type { SignInFlowOptions } from './signInState'

type Send = (
  operation: string,
  body: Record<string, unknown>,
  secrets: string[],
) => Promise<Record<string, unknown>>

export async function firstStep(
  options: SignInFlowOptions,
  send: Send,
  clock: Clock,
  { username, password }: { username: string; password: string },
): Promise<Reply> {
  const { srp, userPoolId } = options
  if (srp === undefined) {
    const AuthParameters = {
      USERNAME: username,
      PASSWORD: password,
      ...(await hashFor(options, username)),
    }
    return readReply(
      await send(
        'InitiateAuth',
        { ...common(options, username), AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters },
        [password],
      ),
    )
  }
  if (userPoolId === undefined) {
    throw new AuthError(
      'ConfigurationError',
      'SRP needs `userPoolId` (its pool name is in the proof).',
      { kind: 'fatal' },
    )
  }
  const exchange = await srp.begin()
  const AuthParameters = {
    USERNAME: username,
    SRP_A: exchange.srpA,
    ...(await hashFor(options, username)),
  }
  const first = readReply(
    await send(
      'InitiateAuth',
      { ...common(options, username), AuthFlow: 'USER_SRP_AUTH', AuthParameters },
      [password],
    ),
  )
  if (!('challenge' in first) || first.challenge !== 'PASSWORD_VERIFIER') return first
  const responses = await exchange.answer(first.parameters, {
    password,
    userPoolId,
    now: clock.now(),
  })
  const userId = responses.USERNAME ?? username
  return readReply(
    await send(
      'RespondToAuthChallenge',
      {
        ...common(options, userId),
        ChallengeName: 'PASSWORD_VERIFIER',
        ...(first.session !== '' && { Session: first.session }),
        ChallengeResponses: { ...responses, ...(await hashFor(options, userId)) },
      },
      [password, first.session],
    ),
  )
}
