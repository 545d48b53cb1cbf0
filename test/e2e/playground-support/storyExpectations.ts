/**
 * What each story must show (visible text of #storybook-root, case-sensitive, as rendered). The
 * smoke test fails for a story that is missing here, so a new story states what it proves.
 */
const retrying = ['Authenticated', 'Retrying']
const ended = ['Signed out', 'Username']
const kept = ['Authenticated', 'Idle']

export const expectedStoryText: Record<string, readonly string[]> = {
  'sign-in-steps--start': ['Username', 'Password', 'Sign in'],
  'sign-in-steps--wrong-password': ['NotAuthorizedException', 'Incorrect username or password'],
  'sign-in-steps--new-password': ['Choose a new password', 'Set password'],
  'sign-in-steps--new-password-too-weak': ['InvalidPasswordException'],
  'sign-in-steps--authenticator-code': ['authenticator app', 'Verify'],
  'sign-in-steps--wrong-code': ['CodeMismatchException', 'Verify'],
  'sign-in-steps--text-message-code': ['text message', '+*******0123'],
  'sign-in-steps--email-code': ['by email', 'a***@e***'],
  'sign-in-steps--choose-factor': ['Authenticator app', 'Text message', 'Email'],
  'sign-in-steps--choose-first-factor': ['Sign in with', 'Password (SRP)', 'A code by email'],
  'sign-in-steps--set-up-authenticator': ['Set up an authenticator app', 'JBSWY3DPEHPK3PXP'],
  'sign-in-steps--lapsed': ['ChallengeExpired', 'longer than 3 minutes'],
  'session-states--loading': ['Loading'],
  'session-states--never-signed-in': ['Signed out', 'Username'],
  'session-states--authenticated': ['Ada Lovelace', 'Authenticated', 'Next refresh', 'version 1'],
  'session-states--refreshing': ['Authenticated', 'Refreshing'],
  'session-states--retrying-after-network-error': [...retrying, 'NetworkError'],
  'session-states--browser-offline': [
    ...retrying,
    'Browser offline',
    'NetworkError',
    'retry in',
    'Back online',
  ],
  'session-states--throttled': [...retrying, 'TooManyRequestsException', 'retry in'],
  'session-states--signed-out-by-sign-out': ['You signed out'],
  'session-states--signed-out-rejected': [
    'Cognito rejected the refresh token',
    'NotAuthorizedException',
  ],
  'session-states--signed-out-reuse': ['already been rotated', 'RefreshTokenReuseException'],

  'session-errors--network-error': [...retrying, 'NetworkError'],
  'session-errors--timeout-error': [...retrying, 'TimeoutError'],
  'session-errors--http-error': [...retrying, 'HttpError'],
  'session-errors--invalid-response': [...retrying, 'InvalidResponse'],
  'session-errors--internal-error-exception': [...retrying, 'InternalErrorException'],
  'session-errors--too-many-requests-exception': [...retrying, 'TooManyRequestsException'],
  'session-errors--not-authorized-exception': [...ended, 'NotAuthorizedException'],
  'session-errors--user-not-found-exception': [...ended, 'UserNotFoundException'],
  'session-errors--refresh-token-reuse-exception': [...ended, 'RefreshTokenReuseException'],
  'session-errors--forbidden-exception': [...kept, 'ForbiddenException'],
  'session-errors--invalid-parameter-exception': [...kept, 'InvalidParameterException'],
  'session-errors--resource-not-found-exception': [...kept, 'ResourceNotFoundException'],
  'session-errors--configuration-error': [...kept, 'ConfigurationError'],
  'session-errors--unknown-service-error': [...kept, 'UnknownServiceError'],

  // Tokens live 8 s: within the wait, one tab refreshes and the other adopts.
  'cross-tab-two-tabs--sharing-one-session': ['Tab 1', 'Tab 2', 'Refreshed', 'Adopted'],
  'cross-tab-two-tabs--signed-out': ['Tab 1', 'Tab 2', 'Nothing yet', '0 refresh calls'],
  // Tab 2's call arrives second: reuse, then the successor from storage, and no sign-out.
  'cross-tab-two-tabs--reuse-recovered': [
    'Tab 2 → RefreshTokenReuseException',
    'Tab 1 → new tokens',
    'Tab 2 recovered the successor (version 2) after RefreshTokenReuseException: no sign-out.',
  ],
  'cross-tab-two-tabs--during-a-failure': [
    'Tab 1 → InternalErrorException',
    'Retrying',
    'retry in',
    'InternalErrorException',
  ],

  'hooks-useauthfetch--calls-the-api': ['HTTP 200', 'ada@example.com'],
  'hooks-useauthfetch--retries-a-401-once': ['HTTP 200', 'version 2'],
  'hooks-useauthfetch--without-a-session': ['Nobody is signed in'],

  'hooks-tanstack-query--profile-query': ['status: success', 'ada@example.com'],
  'hooks-tanstack-query--sign-out-clears-the-cache': ['cache removed', 'status: pending'],

  'components--badges': ['Loading', 'Signed out', 'Refreshing', 'Retrying'],
  'components--activity-across-tabs': ['Tab 1 (this)', 'Tab 2', 'Adopted', 'Refreshed'],
}
