/** A client for the headless sign-in tests: the emulator's Cognito transport, on memory, no tabs. */
import { createAuthClient } from '../../src/core/client/authClient'
import { noChannel } from '../../src/core/platform/channel'
import { noLifecycle } from '../../src/core/platform/lifecycle'
import { noLock } from '../../src/core/platform/lock'
import { cognitoTransport } from '../../src/core/transports/cognito'
import type { Emulator } from '../../src/emulator'

export const memoryClient = (emu: Emulator, clientId: string) =>
  createAuthClient({
    clientId,
    transport: cognitoTransport({ clientId, endpoint: emu.url }),
    storage: 'memory',
    versionMarker: false,
    environment: { lock: noLock, channel: noChannel, lifecycle: noLifecycle },
  })
