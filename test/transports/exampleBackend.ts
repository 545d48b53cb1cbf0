/**
 * The backend of docs/examples/custom-backend.md: a tiny Node server that signs in against Cognito
 * (here the emulator), keeps the refresh token in an HttpOnly cookie, and refreshes with
 * GetTokensFromRefreshToken (rotation-safe), so the browser never sees a refresh token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isAuthError } from '../../src/core/errors'
import { callCognito } from '../../src/core/transports/awsJson'
import { cognitoTransport } from '../../src/core/transports/cognito'

export interface ExampleBackendOptions {
  /** The Cognito endpoint (the emulator's URL). */
  endpoint: string
  clientId: string
}

const cookieName = 'rt'
const cookiePath = '/api/auth'

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === cookieName) return decodeURIComponent(value.join('='))
  }
  return undefined
}

const setCookie = (value: string, maxAge: number) =>
  `${cookieName}=${encodeURIComponent(value)}; HttpOnly; Secure; SameSite=Strict; Path=${cookiePath}; Max-Age=${maxAge}`

function reply(res: ServerResponse, status: number, body?: unknown, cookie?: string) {
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  if (cookie !== undefined) headers['set-cookie'] = cookie
  if (body !== undefined) headers['content-type'] = 'application/json'
  res.writeHead(status, headers)
  res.end(body === undefined ? undefined : JSON.stringify(body))
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}

/** What the browser gets: never the refresh token. */
function publicTokens(result: { AccessToken: string; IdToken?: string; ExpiresIn: number }) {
  return { accessToken: result.AccessToken, idToken: result.IdToken, expiresIn: result.ExpiresIn }
}

export async function startExampleBackend(options: ExampleBackendOptions) {
  const cognito = cognitoTransport({ clientId: options.clientId, endpoint: options.endpoint })
  const signal = () => AbortSignal.timeout(10_000)
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST') return reply(res, 405)
    if (req.headers['x-requested-with'] !== 'fetch') return reply(res, 403) // CSRF guard
    try {
      if (req.url === '/api/auth/login') {
        const { username, password } = await readJson(req)
        const json = await callCognito(
          'InitiateAuth',
          {
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: options.clientId,
            AuthParameters: { USERNAME: username, PASSWORD: password },
          },
          { endpoint: options.endpoint, signal: signal(), secrets: [String(password)] },
        )
        const result = json.AuthenticationResult as { RefreshToken: string } & Parameters<
          typeof publicTokens
        >[0]
        return reply(res, 200, publicTokens(result), setCookie(result.RefreshToken, 30 * 86_400))
      }
      if (req.url === '/api/auth/refresh') {
        const refreshToken = cookieOf(req)
        if (refreshToken === undefined) return reply(res, 401, { error: 'NotAuthorizedException' })
        const { deviceKey } = await readJson(req)
        const result = await cognito.refresh(
          { refreshToken, ...(typeof deviceKey === 'string' && { deviceKey }) },
          { signal: signal() },
        )
        // A rotated refresh token replaces the cookie; without rotation the cookie stays.
        const cookie =
          result.RefreshToken === undefined
            ? undefined
            : setCookie(result.RefreshToken, 30 * 86_400)
        return reply(res, 200, publicTokens(result), cookie)
      }
      if (req.url === '/api/auth/logout') {
        const refreshToken = cookieOf(req)
        if (refreshToken !== undefined)
          await cognito.revoke!({ refreshToken }, { signal: signal() })
        return reply(res, 204, undefined, setCookie('', 0))
      }
      return reply(res, 404)
    } catch (error) {
      // Pass Cognito's verdict on to the client by name; a dead token also loses its cookie.
      if (isAuthError(error) && (error.kind === 'terminal' || error.kind === 'reuse')) {
        return reply(res, 401, { error: error.code }, setCookie('', 0))
      }
      if (isAuthError(error) && error.kind === 'fatal')
        return reply(res, 500, { error: 'ConfigurationError' })
      return reply(res, 503, { error: 'Unavailable' })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A browser's cookie handling for one origin, enough for the test: HttpOnly cookies the page cannot read. */
export function cookieJarFetch() {
  const jar = new Map<string, string>()
  const setCookies: string[] = []
  const jarFetch: typeof fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers)
    if (init.credentials !== 'omit' && jar.size > 0) {
      headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    }
    const response = await fetch(input, { ...init, headers })
    for (const line of response.headers.getSetCookie()) {
      setCookies.push(line)
      const [pair = ''] = line.split(';')
      const [name = '', ...value] = pair.split('=')
      if (/max-age=0/i.test(line)) jar.delete(name)
      else jar.set(name, value.join('='))
    }
    return response
  }
  return { fetch: jarFetch, jar, setCookies }
}
