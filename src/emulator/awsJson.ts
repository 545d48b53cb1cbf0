/**
 * `POST /`: the awsJson1_1 protocol. Dispatches on `X-Amz-Target`, rejects what the service
 * rejects before an operation runs (no target, wrong content type, malformed JSON), applies
 * faults, runs the operation and records the outcome.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from './context'
import { ServiceError, describe, isServiceError } from './errors'
import {
  type Body,
  dropConnection,
  header,
  note,
  send,
  sendAwsJson,
  sendServiceError,
} from './http'
import { injectFault } from './injectFault'
import { adminInitiateAuth, requireSignature } from './operations/adminInitiateAuth'
import { getTokensFromRefreshToken } from './operations/getTokensFromRefreshToken'
import { initiateAuth, isRefreshFlow } from './operations/initiateAuth'
import { respondToAuthChallenge } from './operations/respondToAuthChallenge'
import { revokeToken } from './operations/revokeToken'
import { associateSoftwareToken, verifySoftwareToken } from './operations/softwareToken'
import { getUserAuthFactors } from './operations/userAuthFactors'

type Operation = (ctx: Context, input: Record<string, unknown>) => Promise<object>

const targetPrefix = 'AWSCognitoIdentityProviderService.'

const operations: Readonly<Record<string, Operation>> = {
  InitiateAuth: initiateAuth,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  RevokeToken: revokeToken,
  AdminInitiateAuth: adminInitiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  GetUserAuthFactors: getUserAuthFactors,
}

/** Operations called with IAM credentials: SigV4-signed, never from a browser. */
const signedOperations = new Set(['AdminInitiateAuth'])

/** The SDKs send x-amz-json-1.1; 1.0 and plain JSON are accepted too. */
const jsonContentType = /^application\/(x-amz-json-1\.[01]|json)\s*(;|$)/i

function parseInput(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** The refresh token a call carries, so the refresh log can name its family even on failure. */
function refreshTokenOf(operation: string, input: Record<string, unknown>): string | undefined {
  if (operation === 'GetTokensFromRefreshToken') {
    return typeof input.RefreshToken === 'string' ? input.RefreshToken : undefined
  }
  if (
    (operation === 'InitiateAuth' || operation === 'AdminInitiateAuth') &&
    isRefreshFlow(input.AuthFlow)
  ) {
    const params = input.AuthParameters
    if (typeof params !== 'object' || params === null) return ''
    const token = (params as Record<string, unknown>).REFRESH_TOKEN
    return typeof token === 'string' ? token : ''
  }
  return undefined
}

export async function handleAwsJson(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  body: Body,
): Promise<void> {
  const requestId = randomUUID()
  const fail = (operation: string, error: ServiceError) => {
    sendServiceError(ctx, res, requestId, error)
    ctx.stats.count(operation, error.code)
  }
  if (body.tooLarge) {
    const limit = ctx.config.behaviour.maxBodyBytes
    return fail(
      '(oversize)',
      new ServiceError('RequestEntityTooLargeException', `Request body exceeds ${limit} bytes.`),
    )
  }
  const target = header(req, 'x-amz-target')
  if (target === undefined || target.trim() === '') {
    // What the service's front end answers when it cannot tell the operation (observed bytes).
    const message = 'The server did not understand the operation that was requested.'
    send(
      res,
      400,
      {
        'Content-Type': 'application/x-amz-json-1.1',
        'x-amzn-RequestId': requestId,
        'x-amzn-ErrorType': 'BadRequest:',
      },
      JSON.stringify({ code: 'BadRequest', message, type: 'client' }),
    )
    ctx.stats.count('(no target)', 'BadRequest')
    return
  }
  const name = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : ''
  const operation = Object.hasOwn(operations, name) ? operations[name] : undefined
  note(res, { operation: operation === undefined ? '(unknown operation)' : name })
  if (operation === undefined) {
    return fail(
      '(unknown)',
      new ServiceError('UnknownOperationException', `Unknown operation ${target}.`),
    )
  }
  if (!jsonContentType.test(header(req, 'content-type') ?? '')) {
    return fail(name, new ServiceError('SerializationException'))
  }
  if (signedOperations.has(name)) {
    try {
      requireSignature(header(req, 'authorization'))
    } catch (error) {
      return fail(name, error as ServiceError)
    }
  }
  const input = parseInput(body.data.toString('utf8'))
  if (input === undefined) return fail(name, new ServiceError('SerializationException'))
  const token = refreshTokenOf(name, input)
  const outcome = await run(ctx, req, res, requestId, name, operation, input)
  ctx.stats.count(name, outcome.outcome)
  if (token !== undefined) {
    ctx.stats.logRefresh({
      operation: name,
      clientId: typeof input.ClientId === 'string' ? input.ClientId : undefined,
      originJti: ctx.store.tokens.get(token)?.originJti,
      outcome: outcome.outcome,
      rotated: outcome.rotated,
    })
  }
}

function rotates(result: object | undefined): boolean {
  const auth = (result as { AuthenticationResult?: { RefreshToken?: string } } | undefined)
    ?.AuthenticationResult
  return auth?.RefreshToken !== undefined
}

async function run(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  name: string,
  operation: Operation,
  input: Record<string, unknown>,
): Promise<{ outcome: string; rotated: boolean }> {
  const injected = await injectFault(ctx, name, req, res)
  if (injected.type === 'handled') return { outcome: injected.outcome, rotated: false }
  if (injected.type === 'error') {
    sendServiceError(ctx, res, requestId, injected.error)
    return { outcome: injected.error.code, rotated: false }
  }
  if (injected.type === 'lostReply') {
    // The call takes effect (a rotation is committed), then the reply never arrives.
    const result = await operation(ctx, input).catch((error: unknown) => {
      if (!isServiceError(error)) ctx.log?.(`InternalErrorException in ${name}: ${describe(error)}`)
      return undefined
    })
    note(res, { outcome: 'lostReply' })
    dropConnection(req, res)
    return {
      outcome: 'lostReply',
      rotated: name === 'GetTokensFromRefreshToken' && rotates(result),
    }
  }
  try {
    const result = await operation(ctx, input)
    sendAwsJson(res, requestId, result)
    return { outcome: 'ok', rotated: name === 'GetTokensFromRefreshToken' && rotates(result) }
  } catch (error) {
    const serviceError = isServiceError(error)
      ? error
      : new ServiceError('InternalErrorException', 'Internal server error.')
    if (!isServiceError(error)) ctx.log?.(`InternalErrorException in ${name}: ${describe(error)}`)
    sendServiceError(ctx, res, requestId, serviceError)
    return { outcome: serviceError.code, rotated: false }
  }
}
