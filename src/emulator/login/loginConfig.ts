/**
 * Resolves an app client's managed-login settings (callback and sign-out URLs, OAuth flows and
 * scopes) and the pool's code and session lifetimes. Each failure names the option.
 */
import { fail, integer } from '../configChecks'
import type { AppClientConfig, ManagedLoginOptions, OAuthFlow, OAuthScope } from '../options'

export const oauthScopes: readonly OAuthScope[] = [
  'openid',
  'email',
  'profile',
  'phone',
  'aws.cognito.signin.user.admin',
]

export interface ClientLogin {
  callbackURLs: readonly string[]
  logoutURLs: readonly string[]
  allowedOAuthFlows: readonly OAuthFlow[]
  allowedOAuthScopes: readonly OAuthScope[]
}

export interface ResolvedManagedLogin {
  codeValiditySeconds: number
  sessionValiditySeconds: number
}

/**
 * Cognito wants absolute URIs without a fragment (and HTTPS except for http://localhost); the
 * emulator checks the first two only, so a test can use http://127.0.0.1:<port>.
 */
function urls(value: unknown, name: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > 100) fail(`${name} must be a list of URLs.`)
  return value.map((url: unknown, i) => {
    let parsed: URL | undefined
    try {
      parsed = typeof url === 'string' && url.length <= 1024 ? new URL(url) : undefined
    } catch {
      parsed = undefined
    }
    if (parsed === undefined || (url as string).includes('#')) {
      fail(`${name}[${i}] must be an absolute URL without a fragment.`)
    }
    return url as string
  })
}

function listOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T[] {
  if (!Array.isArray(value) || value.some((v) => !allowed.includes(v as T))) {
    fail(`${name} must be a list of ${allowed.join(', ')}.`)
  }
  return [...new Set(value as T[])]
}

export function resolveClientLogin(client: AppClientConfig, where: string): ClientLogin {
  const callbackURLs = urls(client.callbackURLs, `${where}.callbackURLs`)
  const logoutURLs = urls(client.logoutURLs, `${where}.logoutURLs`)
  const allowedOAuthFlows =
    client.allowedOAuthFlows === undefined
      ? callbackURLs.length > 0
        ? (['code'] as OAuthFlow[])
        : []
      : listOf<OAuthFlow>(client.allowedOAuthFlows, `${where}.allowedOAuthFlows`, ['code'])
  const allowedOAuthScopes =
    client.allowedOAuthScopes === undefined
      ? [...oauthScopes]
      : listOf(client.allowedOAuthScopes, `${where}.allowedOAuthScopes`, oauthScopes)
  return { callbackURLs, logoutURLs, allowedOAuthFlows, allowedOAuthScopes }
}

export function resolveManagedLogin(options: ManagedLoginOptions = {}): ResolvedManagedLogin {
  return {
    codeValiditySeconds: integer(
      options.codeValiditySeconds,
      'managedLogin.codeValiditySeconds',
      1,
      600,
      300,
    ),
    sessionValiditySeconds: integer(
      options.sessionValiditySeconds,
      'managedLogin.sessionValiditySeconds',
      1,
      86_400,
      3600,
    ),
  }
}
