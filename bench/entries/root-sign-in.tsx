// The root entry's app (root-react) plus managed login from the sign-in entry: the difference to
// root-react is what signing in adds to an app's bundle.
export { callback, signIn, signOut } from './sign-in'
export { App } from './root-react'
