/**
 * Checks shared by the option resolver: integers in a range, and the control endpoint's origins,
 * hosts and connection deadlines. Each failure names the option.
 */
import type { EmulatorOptions } from './options'

export function fail(message: string): never {
  throw new TypeError(`Emulator options: ${message}`)
}

export function integer(value: unknown, name: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max} (got ${String(value)}).`)
  }
  return value
}

export function resolveOrigins(origins: unknown): ReadonlySet<string> {
  if (origins === undefined) return new Set()
  if (!Array.isArray(origins)) fail('controlOrigins must be a list of origins.')
  return new Set(
    origins.map((origin: unknown, i) => {
      let url: URL | undefined
      try {
        url = typeof origin === 'string' ? new URL(origin) : undefined
      } catch {
        url = undefined
      }
      // An origin, not a pattern: '*' would hand the control endpoint to every page again.
      if (
        url === undefined ||
        !/^https?:$/.test(url.protocol) ||
        !/^\/?$/.test(url.pathname) ||
        url.search !== '' ||
        url.hash !== '' ||
        url.username !== ''
      ) {
        fail(`controlOrigins[${i}] must be an http(s) origin such as http://127.0.0.1:5173.`)
      }
      return url.origin
    }),
  )
}

export function resolveHosts(hosts: unknown): ReadonlySet<string> {
  if (hosts === undefined) return new Set()
  if (!Array.isArray(hosts)) fail('controlHosts must be a list of host names.')
  return new Set(
    hosts.map((host: unknown, i) => {
      if (typeof host !== 'string' || !/^[a-z0-9.-]{1,253}$/i.test(host)) {
        fail(`controlHosts[${i}] must be a host name without port, such as emulator.`)
      }
      return host.toLowerCase()
    }),
  )
}

export function resolveTimeouts(timeouts: EmulatorOptions['timeouts'] = {}) {
  const headersMs = integer(timeouts.headersMs, 'timeouts.headersMs', 100, 600_000, 10_000)
  return {
    headersMs,
    requestMs: integer(
      timeouts.requestMs,
      'timeouts.requestMs',
      headersMs,
      600_000,
      Math.max(30_000, headersMs),
    ),
    keepAliveMs: integer(timeouts.keepAliveMs, 'timeouts.keepAliveMs', 100, 600_000, 5_000),
  }
}
