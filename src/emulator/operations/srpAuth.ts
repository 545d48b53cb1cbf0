/**
 * USER_SRP_AUTH: InitiateAuth answers with PASSWORD_VERIFIER (SALT, SRP_B, SECRET_BLOCK, no
 * Session: the secret block names the exchange), and RespondToAuthChallenge checks the claim. An
 * unknown username gets a challenge too and fails at the claim, as a pool that prevents user
 * existence errors answers. Then the same challenges as after any password.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { afterFirstPassword } from '../challenges/signIn'
import { claimIsValid, saltOf, serverStep, timestampPattern } from '../challenges/srp'
import { sessionLifetimeMs } from '../challenges/state'
import { checkSecretHash, requireFlow } from '../clientAuth'
import type { ResolvedClient } from '../config'
import { type Context, now } from '../context'
import { ServiceError, invalidParameter, notAuthorized } from '../errors'
import { type UserRecord, userRecordOf } from '../store'

const wrongCredentials = 'Incorrect username or password.'
const poolName = (ctx: Context) => ctx.config.userPoolId.split('_')[1] ?? ''

/** A stand-in for a username that does not exist: its claim can never be valid. */
const nobody = (username: string): UserRecord =>
  userRecordOf({ username, password: randomUUID(), sub: randomUUID() })

export function srpAuth(
  ctx: Context,
  client: ResolvedClient,
  params: Record<string, string>,
  { viaUserAuth = false } = {},
) {
  // Chosen in USER_AUTH (PASSWORD_SRP), the client needs ALLOW_USER_AUTH only.
  if (!viaUserAuth) requireFlow(client, 'ALLOW_USER_SRP_AUTH', 'USER_SRP_AUTH')
  const username = params.USERNAME
  if (username === undefined) throw invalidParameter('Missing required parameter USERNAME')
  const srpA = params.SRP_A
  if (srpA === undefined) throw invalidParameter('Missing required parameter SRP_A')
  checkSecretHash(client, params.SECRET_HASH, username)
  const user = ctx.store.findUser(username) ?? nobody(username)
  const state = serverStep(user, poolName(ctx), srpA)
  if (state === undefined) throw invalidParameter('SRP_A is not a valid SRP value.')
  const secretBlock = randomBytes(64).toString('base64')
  ctx.store.challenges.srp.set(secretBlock, {
    ...state,
    clientId: client.clientId,
    expiresAt: now(ctx) + sessionLifetimeMs,
  })
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: saltOf(user),
      SRP_B: state.B.toString(16),
      SECRET_BLOCK: secretBlock,
      USER_ID_FOR_SRP: user.username,
      USERNAME: user.username,
    },
  }
}

/** RespondToAuthChallenge with PASSWORD_VERIFIER: the claim, checked once. */
export function passwordVerifier(
  ctx: Context,
  client: ResolvedClient,
  responses: Record<string, string>,
) {
  const block = responses.PASSWORD_CLAIM_SECRET_BLOCK ?? ''
  const signature = responses.PASSWORD_CLAIM_SIGNATURE ?? ''
  const timestamp = responses.TIMESTAMP ?? ''
  const pending = ctx.store.challenges.srp.get(block)
  ctx.store.challenges.srp.delete(block) // one claim per exchange
  if (
    pending === undefined ||
    pending.clientId !== client.clientId ||
    now(ctx) >= pending.expiresAt
  ) {
    throw notAuthorized(wrongCredentials)
  }
  if (responses.USERNAME !== pending.username) throw notAuthorized(wrongCredentials)
  if (!timestampPattern.test(timestamp)) throw invalidParameter('TIMESTAMP format is invalid.')
  checkSecretHash(client, responses.SECRET_HASH, pending.username)
  const user = ctx.store.findUser(pending.username)
  if (
    user === undefined ||
    !claimIsValid(pending, user, poolName(ctx), { secretBlock: block, timestamp, signature })
  ) {
    throw notAuthorized(wrongCredentials)
  }
  if (!user.enabled) throw notAuthorized('User is disabled.')
  if (!user.confirmed) throw new ServiceError('UserNotConfirmedException', 'User is not confirmed.')
  return afterFirstPassword(ctx, client, user)
}
