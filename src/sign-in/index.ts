export { managedLogin } from './managedLogin'
export type {
  CallbackResult,
  ManagedLogin,
  ManagedLoginOptions,
  SignInRedirectOptions,
} from './managedLogin'
