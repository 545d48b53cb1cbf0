// The `react-cognito-refresh/sign-in/react` entry: headless sign-in as a hook, for the client of
// the nearest <AuthProvider>.
export { useSignIn } from './useSignIn'
export type { UseSignInResult } from './useSignIn'
