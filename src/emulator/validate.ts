/**
 * Request validation in the service's own words. Wrong JSON types are SerializationException
 * (the JSON layer rejects them); constraint violations are InvalidParameterException with the
 * Coral-style "N validation error(s) detected: …" message. JSON null counts as absent.
 */
import { ServiceError } from './errors'

export interface MemberRule {
  /** The JSON member, e.g. `ClientId`. */
  member: string
  type: 'string' | 'map'
  required?: boolean
  min?: number
  max?: number
  /** Anchored when tested; `text` is what the message quotes. */
  pattern?: { re: RegExp; text: string }
  enum?: readonly string[]
  /** Sensitive members are named without their value, as the service does. */
  sensitive?: boolean
}

const camel = (member: string) => member.charAt(0).toLowerCase() + member.slice(1)

function typeError(value: unknown): ServiceError {
  if (typeof value === 'number') {
    return new ServiceError(
      'SerializationException',
      'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String',
    )
  }
  if (typeof value === 'boolean') {
    return new ServiceError(
      'SerializationException',
      'class java.lang.Boolean can not be converted to an String',
    )
  }
  if (Array.isArray(value)) {
    return new ServiceError('SerializationException', 'Start of list found where not expected')
  }
  if (typeof value === 'object') {
    return new ServiceError(
      'SerializationException',
      'Start of structure or map found where not expected.',
    )
  }
  return new ServiceError('SerializationException', 'Unexpected field type')
}

/** A string-to-string map with null values dropped; throws for other value types. */
function cleanMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 'Expected map or null')
  }
  const out: Record<string, string> = {}
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue
    if (typeof item !== 'string') throw typeError(item)
    out[key] = item
  }
  return out
}

export type Validated = Record<string, string | Record<string, string> | undefined>

/** Checks `input` against `rules`; returns the known members with nulls removed. */
export function validate(input: Record<string, unknown>, rules: readonly MemberRule[]): Validated {
  const out: Validated = {}
  const problems: string[] = []
  for (const rule of rules) {
    const raw = input[rule.member]
    const name = camel(rule.member)
    if (raw === null || raw === undefined) {
      if (rule.required === true) {
        problems.push(
          `Value null at '${name}' failed to satisfy constraint: Member must not be null`,
        )
      }
      continue
    }
    if (rule.type === 'map') {
      out[rule.member] = cleanMap(raw)
      continue
    }
    if (typeof raw !== 'string') throw typeError(raw)
    out[rule.member] = raw
    const quoted = rule.sensitive === true ? 'Value' : `Value '${raw}'`
    const at = `${quoted} at '${name}' failed to satisfy constraint: Member must`
    if (rule.min !== undefined && raw.length < rule.min) {
      problems.push(`${at} have length greater than or equal to ${rule.min}`)
    }
    if (rule.max !== undefined && raw.length > rule.max) {
      problems.push(`${at} have length less than or equal to ${rule.max}`)
    }
    if (rule.pattern !== undefined && !rule.pattern.re.test(raw)) {
      problems.push(`${at} satisfy regular expression pattern: ${rule.pattern.text}`)
    }
    if (rule.enum !== undefined && !rule.enum.includes(raw)) {
      problems.push(`${at} satisfy enum value set: [${rule.enum.join(', ')}]`)
    }
  }
  if (problems.length > 0) {
    const count =
      problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`
    throw new ServiceError('InvalidParameterException', `${count} detected: ${problems.join('; ')}`)
  }
  return out
}

export const patterns = {
  clientId: { re: /^[\w+]+$/, text: '[\\w+]+' },
  token: { re: /^[A-Za-z0-9\-_=.]+$/, text: '[A-Za-z0-9-_=.]+' },
  deviceKey: { re: /^[\w-]+_[0-9a-f-]+$/, text: '[\\w-]+_[0-9a-f-]+' },
} as const

/** The members every refresh operation shares. */
export const clientIdRule: MemberRule = {
  member: 'ClientId',
  type: 'string',
  required: true,
  min: 1,
  max: 128,
  pattern: patterns.clientId,
}

export const clientSecretRule: MemberRule = {
  member: 'ClientSecret',
  type: 'string',
  min: 24,
  max: 64,
  pattern: patterns.clientId,
  sensitive: true,
}

export const clientMetadataRule: MemberRule = { member: 'ClientMetadata', type: 'map' }

export function str(value: Validated[string]): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function map(value: Validated[string]): Record<string, string> {
  return typeof value === 'object' ? value : {}
}
