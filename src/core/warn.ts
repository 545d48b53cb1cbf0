const warned = new Set<string>()

function isProduction(): boolean {
  try {
    // Bundlers replace this expression; where nothing does and `process` is missing, we warn.
    return process.env.NODE_ENV === 'production'
  } catch {
    return false
  }
}

/** One development warning per key, prefixed, never with token material (callers pass fixed text). */
export function warnOnce(key: string, message: string): void {
  if (isProduction() || warned.has(key)) return
  warned.add(key)
  console.warn(`[react-cognito-refresh] ${message}`)
}

export function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown }
  return typeof g.window === 'object' && g.window !== null && typeof g.document === 'object'
}
