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

/** The control endpoint refused or failed a call; `status` is its HTTP status (0: no answer). */
export class EmulatorControlError extends Error {
  override readonly name = 'EmulatorControlError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Every call is a non-simple request (a JSON content type and `x-emulator-control: 1`): the
 * emulator accepts control calls only so, so that another web page cannot drive it with a form
 * post or a `text/plain` fetch.
 */
export const controlHeaders = {
  'Content-Type': 'application/json',
  'x-emulator-control': '1',
} as const

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response
  try {
    response = await fetch(`${base}/_emulator${path}`, {
      method,
      headers: controlHeaders,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
  } catch {
    throw new EmulatorControlError(0, `The emulator at ${base} does not answer.`)
  }
  const json = (await response.json().catch(() => ({}))) as T & { message?: unknown }
  if (!response.ok) {
    const message = typeof json.message === 'string' ? json.message : `HTTP ${response.status}`
    throw new EmulatorControlError(response.status, message)
  }
  return json
}

export const emulatorControl = (base: string) => ({
  pool: () => call<PoolInfo>(base, 'GET', ''),
  faults: () => call<FaultState>(base, 'GET', '/faults'),
  setFaults: (input: Record<string, unknown>) =>
    call<FaultState>(base, 'POST', '/faults', { operations: refreshOperations, ...input }),
  clearFaults: () => call<FaultState>(base, 'DELETE', '/faults'),
  stats: () => call<ServerStats>(base, 'GET', '/stats'),
  /** The codes the emulator "sent" by email or SMS to `username`, oldest first. */
  messages: (username: string) =>
    call<{ messages: Array<{ code: string; medium: string }> }>(
      base,
      'GET',
      `/messages?username=${encodeURIComponent(username)}`,
    ),
})

export type EmulatorControl = ReturnType<typeof emulatorControl>

/** Successful refreshes the server answered, over every refresh operation. */
export function refreshCount(stats: ServerStats): number {
  return refreshOperations.reduce((n, op) => n + (stats.calls[op]?.ok ?? 0), 0)
}
