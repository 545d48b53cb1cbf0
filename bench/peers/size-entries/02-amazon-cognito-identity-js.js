// amazon-cognito-identity-js: CognitoUser.refreshSession(CognitoRefreshToken)
import { CognitoUserPool, CognitoUser, CognitoRefreshToken } from 'amazon-cognito-identity-js'

const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_EXAMPLE', ClientId: 'exampleclientid' })

export function refresh(username, refreshToken) {
  const user = new CognitoUser({ Username: username, Pool: pool })
  return new Promise((resolve, reject) =>
    user.refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), (err, session) =>
      err ? reject(err) : resolve(session.getAccessToken().getJwtToken()),
    ),
  )
}
