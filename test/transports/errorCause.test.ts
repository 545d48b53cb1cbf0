/**
 * Item: `error.cause` carries no token material. Every transport path builds an error from a
 * foreign failure that quotes the request (as HTTP libraries' errors do); the error is then printed
 * the ways apps and error trackers print it, and the output is searched for the secrets.
 */
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthError, toAuthError } from '../../src/core/errors'
import { backendTransport } from '../../src/core/transports/backend'
import { cognitoTransport } from '../../src/core/transports/cognito'
import { customTransport } from '../../src/core/transports/custom'
import { initiateAuthTransport } from '../../src/core/transports/initiateAuth'
import { oauth2Transport } from '../../src/core/transports/oauth2'
import type { Transport } from '../../src/core/transports/types'
import { authErrorOfIdentityJs } from '../../src/identity-js'
import { raw, startScriptedServer } from '../helpers/scriptedServer'

const refreshToken =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.LEAKKEY.LEAKIV.LEAKYCIPHERTEXT.LEAKTAG'
// 26 characters: too short to look like a token, so only exact-string redaction can catch it.
const clientSecret = 'zyxw9876543210zyxw98765432'
const clientId = '1example23456789'
const body = JSON.stringify({ RefreshToken: refreshToken, ClientSecret: clientSecret })

/** What an HTTP library's failure looks like: the request and response hang off it. */
function leakyError(code = 'ECONNRESET') {
  const error = new TypeError(`request failed: ${body}`)
  Object.assign(error, {
    code,
    request: { body, headers: { 'x-client-secret': clientSecret } },
    response: new Response(body, { status: 400 }),
    config: { data: body },
  })
  error.cause = new Error(`socket closed while sending ${body}`, { cause: { body } })
  return error
}

const sink = () => {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  return { stream, text: () => text }
}

/** Every way an app prints an error: inspect (all depths, hidden members), console.error, JSON. */
function printed(error: unknown): string {
  const out = sink()
  new Console({ stdout: out.stream, stderr: out.stream }).error(error)
  new Console({ stdout: out.stream, stderr: out.stream }).error('refresh failed:', error)
  return [
    inspect(error, { depth: Infinity }),
    inspect(error, { depth: Infinity, showHidden: true }),
    out.text(),
    JSON.stringify(error),
    JSON.stringify({ error, cause: (error as Error).cause }),
    String((error as Error).stack),
  ].join('\n')
}

function expectNoMaterial(error: unknown, material: readonly string[]) {
  expect(error).toBeInstanceOf(AuthError)
  const text = printed(error)
  for (const secret of material) expect(text).not.toContain(secret)
  // Not even a recognisable piece of the token.
  expect(text).not.toContain('LEAKYCIPHERTEXT')
}

const failing = (t: Transport, extra: Record<string, unknown> = {}) =>
  t
    .refresh({ refreshToken, username: 'u', ...extra }, { signal: new AbortController().signal })
    .then(
      () => expect.unreachable('should have failed'),
      (e: unknown) => e,
    )
const leakyFetch = (async () => {
  throw leakyError()
}) as typeof fetch

let server: Awaited<ReturnType<typeof startScriptedServer>>
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())

describe('error.cause carries no token material', () => {
  const both = [refreshToken, clientSecret]
  it.each([
    [
      'cognitoTransport',
      () =>
        cognitoTransport({
          clientId,
          clientSecret,
          endpoint: 'http://127.0.0.1:9/',
          fetch: leakyFetch,
        }),
      both,
    ],
    [
      'initiateAuthTransport',
      () =>
        initiateAuthTransport({
          clientId,
          clientSecret,
          endpoint: 'http://127.0.0.1:9/',
          fetch: leakyFetch,
        }),
      both,
    ],
    [
      'oauth2Transport',
      () =>
        oauth2Transport({
          clientId,
          clientSecret,
          domain: 'http://127.0.0.1:9',
          fetch: leakyFetch,
        }),
      both,
    ],
    [
      'backendTransport',
      () =>
        backendTransport({
          url: 'http://127.0.0.1:9/refresh',
          refreshTokenIn: 'body',
          fetch: leakyFetch,
        }),
      [refreshToken],
    ],
    [
      'customTransport',
      () =>
        customTransport({
          refresh: async () => {
            throw leakyError()
          },
        }),
      [refreshToken],
    ],
  ] as const)('%s: a failure that quotes the request', async (_name, make, material) => {
    const error = await failing(make())
    expectNoMaterial(error, material)
    // What helps a developer survives: the cause's type, its code and the words around the body.
    const cause = (error as AuthError).cause as Error & { code?: string; cause?: Error }
    expect(cause).toMatchObject({ name: 'TypeError', code: 'ECONNRESET' })
    expect(cause.message).toContain('request failed')
    expect(cause.cause?.message).toContain('socket closed')
    expect(cause).not.toHaveProperty('request')
    expect(cause).not.toHaveProperty('response')
  })

  it('a revoke that fails the same way', async () => {
    const t = cognitoTransport({
      clientId,
      clientSecret,
      endpoint: 'http://127.0.0.1:9/',
      fetch: leakyFetch,
    })
    const error = await t.revoke!({ refreshToken }, { signal: new AbortController().signal }).then(
      () => expect.unreachable('should have failed'),
      (e: unknown) => e,
    )
    expectNoMaterial(error, both)
  })

  it('a server reply that echoes the request, and the ConfigurationError built on it', async () => {
    const echo = (type: string, message: string) =>
      raw(
        400,
        { 'content-type': 'application/x-amz-json-1.1' },
        JSON.stringify({ __type: type, message }),
      )
    server.reply(
      echo('NotAuthorizedException', `Invalid Refresh Token. ${body}`),
      echo(
        'NotAuthorizedException',
        `Unable to verify secret hash for client ${clientId}: ${body}`,
      ),
    )
    const t = cognitoTransport({ clientId, clientSecret, endpoint: server.url })
    const terminal = await failing(t)
    expect(terminal).toMatchObject({ code: 'NotAuthorizedException', kind: 'terminal' })
    expectNoMaterial(terminal, both)
    const configuration = await failing(t)
    expect(configuration).toMatchObject({ code: 'ConfigurationError', kind: 'fatal' })
    expectNoMaterial(configuration, both)
  })

  it('a real connection failure keeps its system code', async () => {
    const t = cognitoTransport({ clientId, clientSecret, endpoint: 'http://127.0.0.1:9/' })
    const error = (await failing(t)) as AuthError
    expect(error.code).toBe('NetworkError')
    expectNoMaterial(error, both)
    expect(inspect(error, { depth: Infinity })).toMatch(/ECONNREFUSED|fetch failed/)
  })

  it('amazon-cognito-identity-js errors, and anything else the core wraps', () => {
    const identityJs = Object.assign(leakyError(), {
      code: 'NotAuthorizedException',
      name: 'NotAuthorizedException',
    })
    expectNoMaterial(authErrorOfIdentityJs(identityJs, [refreshToken]), [refreshToken])
    expectNoMaterial(authErrorOfIdentityJs(leakyError('NetworkError'), [refreshToken]), [
      refreshToken,
    ])
    // The core knows no secrets here: what it must catch is what looks like a token.
    expectNoMaterial(toAuthError(leakyError()), [refreshToken])
    expectNoMaterial(toAuthError(new Response(body)), [refreshToken])
    expectNoMaterial(toAuthError(body), [refreshToken])
    expectNoMaterial(
      new AuthError('NetworkError', 'x', { cause: leakyError(), secrets: both }),
      both,
    )
  })

  it('a cause chain that loops or nests deeply is cut, not followed', () => {
    const loop: Error & { cause?: unknown } = new Error(`loop ${refreshToken}`)
    loop.cause = loop
    const error = toAuthError(loop)
    expectNoMaterial(error, [refreshToken])
    let depth = 0
    for (let c: unknown = error.cause; c instanceof Error; c = c.cause) depth++
    expect(depth).toBeLessThanOrEqual(3)
  })
})
