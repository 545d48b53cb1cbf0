/**
 * Next.js App Router, without importing Next: the route handlers are `auth.handle` itself, a
 * Server Component reads `auth.getSession(await cookies())`, and `authProxy` is the proxy
 * (`middleware.ts` before Next 16) that refreshes before the page renders, the one place of a
 * page request where cookies can be written.
 */
import type { AuthHandlers } from './handlers'

/** The `Cookie` header once the browser has applied `setCookie`. */
export function applySetCookie(cookieHeader: string | null, setCookie: readonly string[]): string {
  const jar = new Map<string, string>()
  for (const part of (cookieHeader ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0) jar.set(part.slice(0, at).trim(), part.slice(at + 1).trim())
  }
  for (const line of setCookie) {
    const [pair = ''] = line.split(';')
    const at = pair.indexOf('=')
    const name = pair.slice(0, at)
    if (/;\s*Max-Age=0\s*(;|$)/i.test(line)) jar.delete(name)
    else jar.set(name, pair.slice(at + 1))
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/**
 * The proxy: `export const proxy = authProxy(auth, (headers) => NextResponse.next({ request: {
 * headers } }))`. A session whose access token is gone or about to expire is refreshed (once per
 * refresh token however many requests arrive); the new cookies go to the browser and, in the
 * request headers `next` receives, to this request's Server Components.
 */
export function authProxy(
  auth: Pick<AuthHandlers, 'getSession'>,
  next: (requestHeaders: Headers) => Response | Promise<Response>,
) {
  return async (request: Request): Promise<Response> => {
    const { setCookie } = await auth.getSession(request, { refresh: true })
    const headers = new Headers(request.headers)
    if (setCookie.length > 0) {
      headers.set('cookie', applySetCookie(request.headers.get('cookie'), setCookie))
    }
    const response = await next(headers)
    for (const cookie of setCookie) response.headers.append('set-cookie', cookie)
    return response
  }
}
