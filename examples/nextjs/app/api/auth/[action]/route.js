import { auth } from '../../../../lib/auth'

// GET /api/auth/sign-in, /api/auth/callback; POST /api/auth/session, /refresh, /sign-out
export const GET = (request) => auth().handle(request)
export const POST = (request) => auth().handle(request)
