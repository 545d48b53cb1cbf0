import type { Meta, StoryObj } from '@storybook/react-vite'
import type { AuthErrorCode, AuthErrorOptions } from 'react-cognito-refresh'
import { quietly, SessionView, StoryShell } from './fakes/StoryShell'

/**
 * One story per error a refresh can end with, and what the client does about it: retry
 * (retryable), end the session (terminal, reuse), or surface it without looping (fatal).
 */
const meta = {
  title: 'Session/Errors',
  parameters: { layout: 'padded' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

function failing(code: AuthErrorCode, message: string, options?: AuthErrorOptions): Story {
  return {
    render: () => (
      <StoryShell
        options={{ signedIn: true }}
        scenario={({ client, transport }) => {
          transport.failAlways(code, message, options)
          quietly(client.refresh({ force: true }))
        }}
      >
        {(tab) => <SessionView tab={tab} />}
      </StoryShell>
    ),
  }
}

// Retryable: the session stays, the refresh is retried with backoff.
export const NetworkError = failing('NetworkError', 'Failed to fetch')
export const TimeoutError = failing('TimeoutError', 'The request took longer than 15000 ms.')
export const HttpError = failing('HttpError', 'HTTP 502 with a non-Cognito body (text/html).', {
  status: 502,
})
export const InvalidResponse = failing(
  'InvalidResponse',
  'The reply has no AuthenticationResult object.',
  {
    status: 200,
  },
)
export const InternalErrorException = failing('InternalErrorException', 'Internal server error.', {
  status: 500,
})
export const TooManyRequestsException = failing('TooManyRequestsException', 'Rate exceeded', {
  status: 400,
  retryAfterMs: 5_000,
})

// Terminal: the session ends in every tab.
export const NotAuthorizedException = failing('NotAuthorizedException', 'Invalid Refresh Token.', {
  status: 400,
})
export const UserNotFoundException = failing('UserNotFoundException', 'User does not exist.', {
  status: 400,
})

// Reuse: a rotated-away refresh token, and no tab holds a newer one.
export const RefreshTokenReuseException = failing(
  'RefreshTokenReuseException',
  'Refresh token has been invalidated by rotation.',
  { status: 400 },
)

// Fatal: configuration or request problems; shown, not retried in a loop.
export const ForbiddenException = failing('ForbiddenException', 'Request blocked by AWS WAF.', {
  status: 403,
})
export const InvalidParameterException = failing(
  'InvalidParameterException',
  'Invalid ClientId: the app client does not exist in this pool.',
  { status: 400 },
)
export const ResourceNotFoundException = failing(
  'ResourceNotFoundException',
  'User pool client not found.',
  {
    status: 400,
  },
)
export const ConfigurationError = failing(
  'ConfigurationError',
  'This app client rotates refresh tokens: use GetTokensFromRefreshToken, not InitiateAuth.',
)
export const UnknownServiceError = failing(
  'UnknownServiceError',
  'SomethingNewException: a new error type.',
  {
    status: 400,
    serviceCode: 'SomethingNewException',
  },
)
