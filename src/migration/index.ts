// The `react-cognito-refresh/migration` entry: taking over a session that Amplify or
// amazon-cognito-identity-js stored, and writing it back for code that still reads it there.
export { migrateLegacySession } from './migrateLegacySession'
export type {
  MigrateLegacySessionOptions,
  LegacyMigration,
  LegacyFailureReason,
} from './migrateLegacySession'
export { adoptLegacySession } from './adoptLegacySession'
export type { AdoptLegacySessionOptions, AdoptLegacyResult } from './adoptLegacySession'
export { legacyWriteBack } from './legacyWriteBack'
export type { LegacyWriteBackOptions } from './legacyWriteBack'
export { clearLegacySession } from './clearLegacySession'
export type { ClearLegacySessionOptions } from './clearLegacySession'
export type { LegacySource, LegacyStorage } from './legacyKeys'
