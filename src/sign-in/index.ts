export { managedLogin } from './managedLogin'
export { signInWithPopup } from './popup'
export type {
  CallbackResult,
  ManagedLogin,
  ManagedLoginOptions,
  SignInRedirectOptions,
} from './managedLogin'
export type { SignInPopupOptions } from './popup'
