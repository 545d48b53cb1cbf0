/**
 * The codes of sign-in (`react-cognito-refresh/sign-in`): managed login's, and headless sign-in's
 * (`createSignIn`): Cognito's answers to a challenge, and a challenge whose Session lapsed. The
 * root entry carries no byte of them (the list below is imported by the sign-in entry only).
 */
export type SignInErrorCode =
  /** Managed login: cancelled, failed (`serviceCode` says how), a stale `state`, a blocked popup. */
  | 'SignInCancelled'
  | 'SignInFailed'
  | 'StateMismatch'
  | 'PopupBlocked'
  /** Headless sign-in: Cognito's answers to a challenge. */
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'InvalidPasswordException'
  | 'EnableSoftwareTokenMFAException'
  | 'CodeDeliveryFailureException'
  | 'LimitExceededException'
  /** The challenge's Session lapsed (3 minutes): start the sign-in again. */
  | 'ChallengeExpired'

export const signInErrorCodes: readonly string[] = [
  'CodeMismatchException',
  'ExpiredCodeException',
  'InvalidPasswordException',
  'EnableSoftwareTokenMFAException',
  'CodeDeliveryFailureException',
  'LimitExceededException',
]
