// amazon-cognito-identity-js: 02 plus CognitoUser.authenticateUser (SRP, with its challenge
// callbacks): what signing in with it adds.
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
} from 'amazon-cognito-identity-js'

const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_EXAMPLE', ClientId: 'exampleclientid' })

export function refresh(username, refreshToken) {
  const user = new CognitoUser({ Username: username, Pool: pool })
  return new Promise((resolve, reject) =>
    user.refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), (err, session) =>
      err ? reject(err) : resolve(session.getAccessToken().getJwtToken()),
    ),
  )
}

export function signIn(username, password, onChallenge) {
  const user = new CognitoUser({ Username: username, Pool: pool })
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve(session.getAccessToken().getJwtToken()),
      onFailure: reject,
      newPasswordRequired: (attributes) => onChallenge('newPassword', attributes),
      totpRequired: () => onChallenge('totp'),
      mfaRequired: () => onChallenge('sms'),
      selectMFAType: () => onChallenge('select'),
      mfaSetup: () => onChallenge('setup'),
    }),
  )
}
