export { managedLogin } from './managedLogin'
export { signInWithPopup } from './popup'
export { createSignIn } from './createSignIn'
export { getUserAuthFactors } from './authFactors'
export type { UserAuthFactors } from './authFactors'
export type { SignInFlow, SignInFlowOptions, SignInState } from './createSignIn'
export type { ChallengeStep, FirstFactor, MfaType } from './challengeWire'
export type {
  CallbackResult,
  ManagedLogin,
  ManagedLoginOptions,
  SignInRedirectOptions,
} from './managedLogin'
export type { SignInPopupOptions } from './popup'
