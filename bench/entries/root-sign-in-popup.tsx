// root-sign-in plus signInWithPopup: its difference to root-sign-in is what the popup adds (an app
// that signs in by redirect only leaves it out).
import { signInWithPopup } from '../../src/sign-in/index'
import { login } from './sign-in'

export { callback, signIn, signOut } from './sign-in'
export { App } from './root-react'
export const signInInPopup = () => signInWithPopup(login)
