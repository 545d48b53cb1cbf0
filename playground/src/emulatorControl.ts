/**
 * The emulator's control endpoint (`/_emulator/*`), as the fault panel uses it. Faults are limited
 * to the refresh operation so that signing in and out keeps working while refreshes fail.
 */

export interface PoolInfo {
  userPoolId: string
  clients: Array<{
    clientId: string
    clientName: string
    accessTokenValiditySeconds: number
    rotation: { enabled: boolean; retryGracePeriodSeconds: number }
  }>
}

export interface FaultState {
  latencyMs: number | [number, number]
  errorRates: Record<string, number>
  throttleRate: number
  dropRate: number
  htmlRate: number
  outage: { until: number } | null
  queue: unknown[]
}

export interface ServerStats {
  calls: Record<string, Record<string, number>>
  demoApi: Record<string, number>
}

export const refreshOperations = ['GetTokensFromRefreshToken', 'oauth2/token']

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/_emulator${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  })
  const json = (await response.json()) as T & { message?: string }
  if (!response.ok) throw new Error(json.message ?? `HTTP ${response.status}`)
  return json
}

export const emulatorControl = (base: string) => ({
  pool: () => call<PoolInfo>(base, 'GET', ''),
  faults: () => call<FaultState>(base, 'GET', '/faults'),
  setFaults: (input: Record<string, unknown>) =>
    call<FaultState>(base, 'POST', '/faults', { operations: refreshOperations, ...input }),
  clearFaults: () => call<FaultState>(base, 'DELETE', '/faults'),
  stats: () => call<ServerStats>(base, 'GET', '/stats'),
})

export type EmulatorControl = ReturnType<typeof emulatorControl>

/** Successful refreshes the server answered, over every refresh operation. */
export function refreshCount(stats: ServerStats): number {
  return refreshOperations.reduce((n, op) => n + (stats.calls[op]?.ok ?? 0), 0)
}
