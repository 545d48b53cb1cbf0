/** Shared helpers for the emulator tests: start/stop, raw awsJson calls, SDK clients. */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { afterEach } from 'vitest'
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator'

const running = new Set<Emulator>()

/** Starts an emulator on 127.0.0.1:0 that is stopped after the current test. */
export async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ host: '127.0.0.1', port: 0, ...options })
  running.add(emu)
  return emu
}

/** Registers the afterEach that stops every emulator a test started. */
export function stopEmulatorsAfterEach(): void {
  afterEach(async () => {
    await Promise.all([...running].map((emu) => emu.stop()))
    running.clear()
  })
}

export interface RawReply {
  status: number
  headers: Headers
  text: string
  json: Record<string, unknown>
}

/** One awsJson1_1 call over fetch, with full control over headers and body. */
export async function call(
  emu: Emulator,
  operation: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const response = await fetch(`${emu.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // not JSON: tests look at text
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

export function sdk(emu: Emulator, maxAttempts = 1): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: emu.region,
    endpoint: emu.url,
    maxAttempts,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
}

export function decode(jwt: string): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
} {
  const [header, payload] = jwt.split('.')
  const parse = (part: string | undefined) =>
    JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  return { header: parse(header), payload: parse(payload) }
}

export function authResult(reply: RawReply): Record<string, unknown> {
  return reply.json.AuthenticationResult as Record<string, unknown>
}

/** A client that rotates, with a short grace, for rotation tests. */
export const rotating = {
  clientId: 'rotatingtestclient00000001',
  refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 30 },
} as const

/** A classic client: no rotation, REFRESH_TOKEN_AUTH allowed. */
export const classic = { clientId: 'classictestclient000000002' } as const

export const secretClient = {
  clientId: 'secrettestclient0000000003',
  clientSecret: 'averysecretclientsecret0123456789',
} as const

export const user = {
  username: 'alice',
  password: 'Passw0rd!alice',
  attributes: { email: 'alice@example.com', email_verified: 'true' },
}
