// Refreshes a session whose access token is gone or about to expire before the page renders:
// the one place of a page request where cookies can be written.
import { NextResponse } from 'next/server'
import { authProxy } from 'react-cognito-refresh/server'
import { auth } from './lib/auth'

export function proxy(request) {
  return authProxy(auth(), (headers) => NextResponse.next({ request: { headers } }))(request)
}

export const config = { matcher: ['/profile/:path*'] }
