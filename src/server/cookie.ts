/**
 * The session cookie: its attributes, reading it from a `Cookie` header, and sealing its content
 * (the refresh token) with jose (`dir` + `A256GCM`, a JWT that expires with the cookie). Several
 * secrets rotate: the first seals, every one opens, each found by its key id.
 */
import { EncryptJWT, jwtDecrypt } from 'jose'
import { AuthError } from '../core/errors'
import type { Clock } from '../core/platform/clock'

export interface SessionCookieOptions {
  /** @default 'rcr-session' */
  name?: string
  /** Where the browser sends it: your auth routes only. @default '/' */
  path?: string
  domain?: string
  /** @default 'Strict' */
  sameSite?: 'Strict' | 'Lax'
  /** Only over HTTPS. Turn off for plain-HTTP local development only. @default true */
  secure?: boolean
  /** How long the session may live: your app client's refresh-token validity. @default 2592000 (30 days) */
  maxAgeSeconds?: number
}

/** Browsers keep a cookie up to 4096 bytes, name and attributes included. */
export const maxCookieBytes = 4096

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return undefined
}

export function cookieAttributes(options: SessionCookieOptions) {
  const name = options.name ?? 'rcr-session'
  if (!/^[\w!#$%&'*+.^`|~-]+$/.test(name)) {
    throw new AuthError(
      'ConfigurationError',
      'The cookie name has characters a cookie name cannot.',
    )
  }
  const maxAge = options.maxAgeSeconds ?? 2_592_000
  const flags = [
    `Path=${options.path ?? '/'}`,
    ...(options.domain === undefined ? [] : [`Domain=${options.domain}`]),
    'HttpOnly',
    ...(options.secure === false ? [] : ['Secure']),
    `SameSite=${options.sameSite ?? 'Strict'}`,
  ].join('; ')
  return {
    name,
    maxAge,
    /** With `maxAgeSeconds` for a cookie that lives less than the session (a token's life). */
    set: (value: string, maxAgeSeconds = maxAge) =>
      `${name}=${value}; ${flags}; Max-Age=${maxAgeSeconds}`,
    clear: () => `${name}=; ${flags}; Max-Age=0`,
  }
}

const encoder = new TextEncoder()

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

/** Seals and opens the cookie's content with the secrets, on the injected clock. */
export function cookieSealer(secrets: readonly string[], clock: Clock) {
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < 32)) {
    throw new AuthError(
      'ConfigurationError',
      '`secrets` needs at least one secret of 32 characters or more (random, kept on the server).',
    )
  }
  // A 256-bit key per secret, and a key id that names it without revealing it.
  const keys = Promise.all(
    secrets.map(async (secret) => ({
      key: await digest(`rcr-session-key:${secret}`),
      kid: hex(await digest(`rcr-session-kid:${secret}`)).slice(0, 16),
    })),
  )
  return {
    /** `claims` (strings), sealed for `maxAgeSeconds`. Never readable in the browser. */
    async seal(claims: Record<string, string>, maxAgeSeconds: number): Promise<string> {
      const [current] = await keys
      if (current === undefined) throw new AuthError('ConfigurationError', 'No secret.')
      const now = Math.floor(clock.now() / 1000)
      return new EncryptJWT(claims)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.kid })
        .setIssuedAt(now)
        .setExpirationTime(now + maxAgeSeconds)
        .encrypt(current.key)
    },
    /** The claims, or undefined when the value is tampered, expired or sealed by another key. */
    async open(value: string): Promise<Record<string, unknown> | undefined> {
      const all = await keys
      try {
        const { payload } = await jwtDecrypt(
          value,
          async (header) => {
            const found = all.find((k) => k.kid === header.kid)
            if (found === undefined) throw new Error('unknown key')
            return found.key
          },
          {
            currentDate: new Date(clock.now()),
            keyManagementAlgorithms: ['dir'],
            contentEncryptionAlgorithms: ['A256GCM'],
          },
        )
        return payload
      } catch {
        return undefined
      }
    },
  }
}
