// The `react-cognito-refresh/sign-in/srp` entry: Cognito's USER_SRP_AUTH for `createSignIn`, in an
// entry of its own (the big-integer maths): `createSignIn(client, { clientId, userPoolId, srp })`.
export { srp } from './srp'
export type { SrpAuth, SrpExchange } from './srp'
