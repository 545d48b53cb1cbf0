/**
 * The session on the server, for Server Components, route handlers, Server Actions and Next's
 * proxy: the access and ID tokens ride in HttpOnly cookies of their own beside the sealed refresh
 * token, and `getSession` verifies them with aws-jwt-verify against the pool's JWKS (fetched once,
 * then cached). Where the caller can write cookies (`refresh: true`), an expired access token is
 * refreshed through the handlers' single flight and the new cookies are handed back to be set.
 */
import { JwtVerifier } from 'aws-jwt-verify'
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier'
import { FetchError, JwtBaseError } from 'aws-jwt-verify/error'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'
import type { CognitoAccessTokenPayload, CognitoIdTokenPayload } from 'aws-jwt-verify/jwt-model'
import { AuthError } from '../core/errors'
import { cookieAttributes, readCookie, type SessionCookieOptions } from './cookie'

export interface ServerSessionOptions {
  /** The user pool, e.g. `eu-west-1_AbC123`: whose tokens are accepted. */
  userPoolId: string
  /**
   * The tokens' issuer; its JWKS is `<issuer>/.well-known/jwks.json`.
   * @default `<endpoint>/<userPoolId>` with `endpoint`, else `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`
   */
  issuer?: string
  /**
   * Refresh (where `refresh: true`) when the access token has less than this left, at most half
   * its lifetime. @default 60
   */
  refreshAheadSeconds?: number
}

export type ServerSession =
  | {
      status: 'signedIn'
      /** For calls from the server to your APIs; never send it to the page. */
      accessToken: string
      claims: CognitoAccessTokenPayload
      /** The ID token, when Cognito issued one and it verifies. */
      idToken: string | undefined
      /** The ID token's claims (email, name, …), when Cognito issued one. */
      idClaims: CognitoIdTokenPayload | undefined
      /** Epoch milliseconds. */
      expiresAt: number
      /** `Set-Cookie` values the reply must carry (after a refresh); empty otherwise. */
      setCookie: readonly string[]
    }
  | {
      status: 'signedOut'
      /**
       * `noSession`: no session cookie. `expired`: the access token is gone but a session cookie
       * is there; a caller that can write cookies refreshes it (`refresh: true`, or the page).
       * `ended`: Cognito refused the refresh token, or the cookie could not be opened.
       */
      reason: 'noSession' | 'expired' | 'ended'
      setCookie: readonly string[]
    }
  | {
      /**
       * Cognito or the pool's JWKS out of reach, or a configuration problem: no verdict on the
       * session. `setCookie` is not empty when a refresh went through before the problem.
       */
      status: 'error'
      error: AuthError
      setCookie: readonly string[]
    }

/** What the page's requests carry: a cookie header, a `Request`, or Next's `cookies()`. */
export type CookieSource = Request | Headers | { get(name: string): { value: string } | undefined }

export function cookieOf(source: CookieSource, name: string): string | undefined {
  if (source instanceof Request) return readCookie(source.headers.get('cookie'), name)
  if (source instanceof Headers) return readCookie(source.get('cookie'), name)
  return source.get(name)?.value
}

/** The access and ID token cookies: sent with page requests (Lax), never readable by scripts. */
export function tokenCookies(options: SessionCookieOptions) {
  const base = options.name ?? 'rcr-session'
  const page = { ...options, path: '/', sameSite: 'Lax' } as const
  const access = cookieAttributes({ ...page, name: `${base}-access` })
  const id = cookieAttributes({ ...page, name: `${base}-id` })
  return {
    access: access.name,
    id: id.name,
    /** Both set for the access token's lifetime: the browser drops them as it expires. */
    set(tokens: { accessToken: string; idToken?: string; expiresIn: number }): string[] {
      const age = Math.max(0, Math.floor(tokens.expiresIn))
      return [
        access.set(tokens.accessToken, age),
        tokens.idToken === undefined ? id.clear() : id.set(tokens.idToken, age),
      ]
    },
    clear: () => [access.clear(), id.clear()],
  }
}

interface Parts {
  clientId: string
  region?: string | undefined
  endpoint?: string | undefined
  fetch?: typeof fetch | undefined
}

/** aws-jwt-verify's own fetcher speaks HTTPS only; this one also reaches a local emulator. */
function jwksFetcher(doFetch: typeof fetch | undefined) {
  return {
    async fetch(uri: string): Promise<ArrayBuffer> {
      const response = await (doFetch ?? globalThis.fetch)(uri)
      if (!response.ok) throw new Error(`The JWKS answered HTTP ${response.status}.`)
      return response.arrayBuffer()
    },
  }
}

export function issuerOf(session: ServerSessionOptions, parts: Parts): string {
  if (session.issuer !== undefined) return session.issuer
  const { userPoolId } = session
  if (parts.endpoint !== undefined) return `${parts.endpoint.replace(/\/+$/, '')}/${userPoolId}`
  const region = parts.region ?? userPoolId.split('_')[0]
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`
}

/** Verifies the token cookies; `undefined` for a token that is absent, forged, foreign or expired. */
export function tokenVerifier(session: ServerSessionOptions, parts: Parts) {
  const issuer = issuerOf(session, parts)
  const jwksCache = new SimpleJwksCache({ fetcher: jwksFetcher(parts.fetch) })
  const verifier = (tokenUse: 'access' | 'id') =>
    JwtVerifier.create(
      {
        issuer,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        audience: null,
        customJwtCheck: ({ payload }) =>
          validateCognitoJwtFields(payload, { tokenUse, clientId: parts.clientId }),
      },
      { jwksCache },
    )
  const access = verifier('access')
  const id = verifier('id')
  /** Rejects with `unavailable` when the JWKS cannot be fetched: no verdict either way. */
  async function check<T>(run: () => Promise<unknown>): Promise<T | undefined> {
    try {
      return (await run()) as T
    } catch (error) {
      // A verdict on the token (forged, foreign, expired, malformed) is a JwtBaseError; anything
      // else is the JWKS out of reach.
      if (error instanceof FetchError || !(error instanceof JwtBaseError)) {
        throw new AuthError('NetworkError', "The pool's JWKS could not be fetched.", {
          kind: 'retryable',
          cause: error,
        })
      }
      return undefined
    }
  }
  return {
    access: (token: string | undefined) =>
      token === undefined || token === ''
        ? Promise.resolve(undefined)
        : check<CognitoAccessTokenPayload>(() => access.verify(token)),
    id: (token: string | undefined) =>
      token === undefined || token === ''
        ? Promise.resolve(undefined)
        : check<CognitoIdTokenPayload>(() => id.verify(token)),
  }
}
