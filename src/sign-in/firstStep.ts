/**
 * The first factor of a headless sign-in: USER_PASSWORD_AUTH, or with the `srp` option
 * USER_SRP_AUTH and its PASSWORD_VERIFIER answer (the password never leaves the browser); and
 * choice-based USER_AUTH, whose SELECT_CHALLENGE is answered with a password, SRP or a one-time
 * code. Each ends in what follows the first factor: tokens or the next challenge.
 */
import { AuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'
import { common, hashFor, readReply, type Reply } from './challengeWire'
import type { SignInFlowOptions } from './signInState'
import type { SrpExchange } from './srp/srp'

export type Send = (
  operation: string,
  body: Record<string, unknown>,
  secrets: string[],
) => Promise<Record<string, unknown>>

interface Ctx {
  options: SignInFlowOptions
  send: Send
  clock: Clock
}

/** The SRP exchange, or a configuration error when `srp` or `userPoolId` is missing. */
async function srpExchange({ options }: Ctx): Promise<{ exchange: SrpExchange; pool: string }> {
  const { srp, userPoolId } = options
  if (srp === undefined || userPoolId === undefined) {
    throw new AuthError(
      'ConfigurationError',
      'SRP needs the `srp` option and `userPoolId` (its pool name is in the proof).',
      { kind: 'fatal' },
    )
  }
  return { exchange: await srp.begin(), pool: userPoolId }
}

/** Answers PASSWORD_VERIFIER (when `reply` is one) with the SRP proof of `password`. */
async function verify(
  ctx: Ctx,
  { exchange, pool }: { exchange: SrpExchange; pool: string },
  reply: Reply,
  password: string,
  username: string,
): Promise<Reply> {
  if (!('challenge' in reply) || reply.challenge !== 'PASSWORD_VERIFIER') return reply
  const now = ctx.clock.now()
  const responses = await exchange.answer(reply.parameters, { password, userPoolId: pool, now })
  const userId = responses.USERNAME ?? username
  const body = {
    ...common(ctx.options, userId),
    ChallengeName: 'PASSWORD_VERIFIER',
    ...(reply.session !== '' && { Session: reply.session }),
    ChallengeResponses: { ...responses, ...(await hashFor(ctx.options, userId)) },
  }
  return readReply(await ctx.send('RespondToAuthChallenge', body, [password, reply.session]))
}

const initiate = async (
  ctx: Ctx,
  flow: string,
  username: string,
  params: object,
  secrets: string[],
) =>
  readReply(
    await ctx.send(
      'InitiateAuth',
      {
        ...common(ctx.options, username),
        AuthFlow: flow,
        AuthParameters: {
          USERNAME: username,
          ...params,
          ...(await hashFor(ctx.options, username)),
        },
      },
      secrets,
    ),
  )

/** A password: USER_PASSWORD_AUTH, or USER_SRP_AUTH with the `srp` option. */
export async function firstStep(
  ctx: Ctx,
  { username, password }: { username: string; password: string },
) {
  if (ctx.options.srp === undefined) {
    return initiate(ctx, 'USER_PASSWORD_AUTH', username, { PASSWORD: password }, [password])
  }
  const srp = await srpExchange(ctx)
  const first = await initiate(ctx, 'USER_SRP_AUTH', username, { SRP_A: srp.exchange.srpA }, [])
  return verify(ctx, srp, first, password, username)
}

/** Choice-based sign-in: USER_AUTH, answered with the factors this user may choose from. */
export const choiceStep = (ctx: Ctx, username: string) =>
  initiate(ctx, 'USER_AUTH', username, {}, [])

/**
 * SELECT_CHALLENGE answered: `respond` sends the responses on the challenge's Session; a password
 * goes with PASSWORD, or as an SRP proof with PASSWORD_SRP.
 */
export async function chosenStep(
  ctx: Ctx,
  respond: (responses: Record<string, string>, secrets: string[]) => Promise<Reply>,
  factor: string,
  username: string,
  password = '',
): Promise<Reply> {
  if (factor === 'PASSWORD') return respond({ ANSWER: factor, PASSWORD: password }, [password])
  if (factor !== 'PASSWORD_SRP') return respond({ ANSWER: factor }, [])
  const srp = await srpExchange(ctx)
  const reply = await respond({ ANSWER: factor, SRP_A: srp.exchange.srpA }, [])
  return verify(ctx, srp, reply, password, username)
}
