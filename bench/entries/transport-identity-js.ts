// One transport on its own: amazon-cognito-identity-js's refreshSession. The package itself is
// external here (an app that picks this transport already ships it; see the peer row for its size).
import { CognitoUserPool } from 'amazon-cognito-identity-js'
import { identityJsTransport } from '../../src/identity-js/index'

const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_EXAMPLE', ClientId: 'example' })
export const transport = identityJsTransport({ pool })
