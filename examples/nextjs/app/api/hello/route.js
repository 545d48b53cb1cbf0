// An API of the app that takes the access token as a bearer token (what useAuthFetch sends).
import { auth } from '../../../lib/auth'

export async function GET(request) {
  const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
  const claims = await auth().verifyAccessToken(token)
  if (claims === undefined) return Response.json({ error: 'Unauthorized' }, { status: 401 })
  return Response.json({ hello: claims.username })
}
