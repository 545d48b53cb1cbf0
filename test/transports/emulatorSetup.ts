/** One emulator per test file for the transport and migration tests, with the clients they need. */
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulator'

export const username = '53c0eafe-5b70-4674-84f6-f24cbd120930'
export const email = 'migrating@example.com'
export const password = 'Passw0rd!migrate'
export const clientSecret = 'abcdef0123456789abcdef0123'

export const clients = {
  classic: 'classicclient0000000000001',
  classicSecret: 'classicsecretclient0000002',
  rotating: 'rotatingclient000000000003',
  rotatingSecret: 'rotatingsecretclient000004',
  devices: 'deviceclient00000000000005',
} as const

const both = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const
const rotation = { feature: 'ENABLED', retryGracePeriodSeconds: 0 } as const

/** Starts the emulator before the file's tests, clears faults before each, stops it after. */
export function useEmulator(): { readonly emu: Emulator } {
  const holder = {} as { emu: Emulator }
  beforeAll(async () => {
    holder.emu = await startEmulator({
      users: [{ username, password, attributes: { email, email_verified: 'true' } }],
      clients: [
        { clientId: clients.classic, explicitAuthFlows: [...both] },
        { clientId: clients.classicSecret, clientSecret, explicitAuthFlows: [...both] },
        { clientId: clients.rotating, refreshTokenRotation: rotation },
        { clientId: clients.rotatingSecret, clientSecret, refreshTokenRotation: rotation },
        { clientId: clients.devices, explicitAuthFlows: [...both], deviceTracking: true },
      ],
    })
  })
  beforeEach(() => holder.emu.faults.clear())
  afterAll(() => holder.emu.stop())
  return holder
}

export const signal = () => new AbortController().signal
