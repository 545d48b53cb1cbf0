// @supabase/auth-js: GoTrueClient with autoRefreshToken
import { GoTrueClient } from '@supabase/auth-js'

const auth = new GoTrueClient({
  url: 'https://example.supabase.co/auth/v1',
  headers: { apikey: 'anon-key' },
  autoRefreshToken: true,
  persistSession: true,
})

export async function getAccessToken() {
  const { data } = await auth.getSession()
  return data.session ? data.session.access_token : null
}
