// react-cognito-refresh/server/admin: refresh with IAM credentials, through the AWS SDK.
export { adminInitiateAuthTransport } from './adminInitiateAuth'
export type { AdminInitiateAuthTransportOptions } from './adminInitiateAuth'
