/**
 * Where the auth fetch may send the access token: the page's own origin and the listed ones.
 * Errors name an origin at most, never a path or query (they can carry ids or signed parameters).
 */
import { AuthError } from '../errors'

export interface OriginPolicy {
  /** Whether a request to `origin` may carry the token. */
  allows(origin: string): boolean
  /**
   * The absolute URL fetch would request for `input`, if its origin is allowed.
   * @throws AuthError('ConfigurationError') otherwise: nothing may be sent.
   */
  place(input: RequestInfo | URL): URL
}

function notAnOrigin(entry: unknown): AuthError {
  const shown = typeof entry === 'string' ? `"${entry}"` : typeof entry
  return new AuthError(
    'ConfigurationError',
    `allowedOrigins: ${shown} is not an origin (scheme://host[:port], http or https).`,
  )
}

/** `https://api.example.com` (a trailing `/` is accepted); anything with a path, query or user is refused. */
function parseOrigin(entry: unknown): string {
  if (typeof entry !== 'string') throw notAnOrigin(entry)
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    throw notAnOrigin(entry)
  }
  // A path would suggest a narrower grant than the origin the browser actually checks.
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password
  if (!bare || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw notAnOrigin(entry)
  return url.origin
}

/** The page's origin; none outside a page, and none for an opaque one (`null`: file:, sandboxes). */
function pageOrigin(): string | undefined {
  const origin = globalThis.location?.origin
  return origin && origin !== 'null' ? origin : undefined
}

/** What fetch resolves a relative URL against: the document's base URL (`<base href>` included). */
function baseUrl(): string | undefined {
  if (typeof document !== 'undefined' && document.baseURI) return document.baseURI
  return globalThis.location?.href
}

/** An origin, or the scheme for URLs without one (`data:`, `about:`), for error messages. */
export function describeOrigin(url: URL): string {
  return url.origin === 'null' ? `A ${url.protocol} URL` : url.origin
}

export function originPolicy(allowedOrigins: readonly string[] | undefined): OriginPolicy {
  if (allowedOrigins !== undefined && !Array.isArray(allowedOrigins)) {
    throw new AuthError('ConfigurationError', 'allowedOrigins must be an array of origins.')
  }
  const listed = new Set((allowedOrigins ?? []).map(parseOrigin))
  // Looked up at call time: the page (and in tests, the stubbed location) is the one sending.
  const allows = (origin: string) =>
    origin !== 'null' && (origin === pageOrigin() || listed.has(origin))
  return {
    allows,
    place(input) {
      const raw = input instanceof Request ? input.url : input instanceof URL ? input.href : input
      const base = baseUrl()
      let url: URL
      try {
        // An undefined base is no base: the URL must then be absolute.
        url = new URL(String(raw), base)
      } catch {
        throw new AuthError(
          'ConfigurationError',
          base === undefined
            ? 'Outside a page a URL must be absolute, with its origin in allowedOrigins; the request was not sent.'
            : 'This is not a valid URL; the request was not sent.',
        )
      }
      if (!allows(url.origin)) {
        throw new AuthError(
          'ConfigurationError',
          `${describeOrigin(url)} is not in allowedOrigins (nor the page's own origin); the request was not sent.`,
        )
      }
      return url
    },
  }
}
