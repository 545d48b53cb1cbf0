/**
 * Step 7, device tracking. GetTokensFromRefreshToken issues a new device when it gets no key of
 * a registered device (the developer guide's wording); REFRESH_TOKEN_AUTH is stricter and refuses
 * (the Knowledge Center's guidance). A key that belongs to another user is always refused.
 */
import type { ResolvedClient } from '../config'
import type { Context } from '../context'
import { invalidRefreshToken, notAuthorized } from '../errors'
import type { RefreshRecord } from '../store'

export interface DevicePlan {
  /** The device key the new tokens carry. */
  key: string | undefined
  /** Register a new device on success and return NewDeviceMetadata. */
  issueNew: boolean
}

export function planDevice(
  ctx: Context,
  client: ResolvedClient,
  record: RefreshRecord,
  given: string | undefined,
  missing: 'issue' | 'refuse',
): DevicePlan {
  if (!client.deviceTracking) return { key: undefined, issueNew: false }
  const device = given === undefined ? undefined : ctx.store.devices.get(given)
  if (device !== undefined && device.username !== record.username)
    throw notAuthorized(invalidRefreshToken)
  if (device !== undefined) return { key: device.key, issueNew: false }
  if (missing === 'refuse') throw notAuthorized(invalidRefreshToken)
  return { key: undefined, issueNew: true }
}

export function newDeviceMetadata(ctx: Context, username: string) {
  const device = ctx.store.addDevice(username)
  return { key: device.key, metadata: { DeviceKey: device.key, DeviceGroupKey: device.groupKey } }
}
