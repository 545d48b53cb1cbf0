/** The handlers' replies: JSON with no caching, each `Set-Cookie` apart, never a refresh token. */
import type { AuthenticationResult } from '../core/tokens'

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  setCookie: readonly string[] = [],
): Response {
  const all = new Headers({
    'cache-control': 'no-store',
    ...(body !== undefined && { 'content-type': 'application/json' }),
    ...headers,
  })
  for (const cookie of setCookie) all.append('set-cookie', cookie)
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: all })
}

export interface PublicTokens {
  accessToken: string
  idToken?: string
  expiresIn: number
  tokenType: string
}

/** What the browser gets of an AuthenticationResult: never the refresh token. */
export function publicTokens(result: AuthenticationResult): PublicTokens {
  return {
    accessToken: result.AccessToken,
    ...(result.IdToken !== undefined && { idToken: result.IdToken }),
    expiresIn: result.ExpiresIn,
    tokenType: result.TokenType ?? 'Bearer',
  }
}

/**
 * A cross-site or scripted-form POST, refused before anything is read: it must carry
 * `csrfHeader` (a cross-site form cannot) and, when the browser sends an `Origin`, come from the
 * request's own origin (its URL's, or the host its `Host` header names) or one of `allowedOrigins`.
 */
export function refusal(
  request: Request,
  csrfHeader: string,
  allowedOrigins: readonly string[] = [],
): Response | undefined {
  if (request.method !== 'POST') return json(405, { error: 'MethodNotAllowed' }, { allow: 'POST' })
  if (request.headers.get(csrfHeader) === null) return json(403, { error: 'Forbidden' })
  const origin = request.headers.get('origin')
  if (origin === null || allowedOrigins.includes(origin)) return undefined
  if (origin === new URL(request.url).origin) return undefined
  // Frameworks rebuild `request.url` from their own settings (Next.js says localhost for
  // 127.0.0.1); the browser's Host header names the site it sent the request to.
  const host = request.headers.get('host')
  if (host !== null && URL.canParse(origin) && new URL(origin).host === host) return undefined
  return json(403, { error: 'Forbidden' })
}
