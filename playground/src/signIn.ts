import type { AuthenticationResult } from 'react-cognito-refresh'

/** Why a sign-in failed, in words for the form (never with the password or a token). */
export class SignInError extends Error {
  override readonly name = 'SignInError'
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * InitiateAuth with USER_PASSWORD_AUTH, straight from the page: the app client must allow that
 * flow and have no secret. Challenges (MFA, a new password) are out of the playground's scope.
 */
export async function signInWithPassword(
  endpoint: string,
  clientId: string,
  username: string,
  password: string,
): Promise<AuthenticationResult> {
  let response: Response
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    })
  } catch {
    throw new SignInError('NetworkError', `Cannot reach ${endpoint}. Is the emulator running?`)
  }
  const body = (await response.json().catch(() => ({}))) as {
    __type?: string
    message?: string
    ChallengeName?: string
    AuthenticationResult?: AuthenticationResult
  }
  if (!response.ok) {
    // Cognito names errors like "com.amazonaws...#NotAuthorizedException" or plainly.
    const code = (body.__type ?? `HTTP ${response.status}`).split('#').pop() ?? 'Error'
    throw new SignInError(code, body.message ?? 'The sign-in was refused.')
  }
  if (body.ChallengeName !== undefined) {
    throw new SignInError(
      body.ChallengeName,
      `Cognito asks for a ${body.ChallengeName} challenge, which the playground does not handle.`,
    )
  }
  if (body.AuthenticationResult === undefined) {
    throw new SignInError('InvalidResponse', 'The reply had no AuthenticationResult.')
  }
  return body.AuthenticationResult
}
