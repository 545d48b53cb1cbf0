/**
 * USER_PASSWORD_AUTH (and AdminInitiateAuth's ADMIN_USER_PASSWORD_AUTH): the password checked,
 * then the challenges that follow it (challenges/signIn.ts) or a new refresh-token family.
 */
import { afterFirstPassword } from '../challenges/signIn'
import { checkSecretHash, requireFlow } from '../clientAuth'
import type { ExplicitAuthFlow, ResolvedClient } from '../config'
import type { Context } from '../context'
import { ServiceError, invalidParameter, notAuthorized } from '../errors'

/** Pools created today hide whether a user exists ("prevent user existence errors" is on). */
const wrongCredentials = 'Incorrect username or password.'

export async function passwordAuth(
  ctx: Context,
  client: ResolvedClient,
  params: Record<string, string>,
  { allow, flow }: { allow: ExplicitAuthFlow; flow: string } = {
    allow: 'ALLOW_USER_PASSWORD_AUTH',
    flow: 'USER_PASSWORD_AUTH',
  },
) {
  requireFlow(client, allow, flow)
  const username = params.USERNAME
  if (username === undefined) throw invalidParameter('Missing required parameter USERNAME')
  const password = params.PASSWORD
  if (password === undefined) throw invalidParameter('Missing required parameter PASSWORD')
  checkSecretHash(client, params.SECRET_HASH, username)
  const user = ctx.store.findUser(username)
  if (user === undefined || user.password !== password) throw notAuthorized(wrongCredentials)
  if (!user.enabled) throw notAuthorized('User is disabled.')
  if (!user.confirmed) throw new ServiceError('UserNotConfirmedException', 'User is not confirmed.')
  return afterFirstPassword(ctx, client, user)
}
