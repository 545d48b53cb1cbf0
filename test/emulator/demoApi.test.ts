/** The protected demo API: aws-jwt-verify against the emulator's JWKS, outcomes counted. */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

function profile(emu: Emulator, authorization?: string) {
  return fetch(emu.demoApiUrl, authorization === undefined ? {} : { headers: { authorization } })
}

describe('demo API', () => {
  it('serves a valid access token and counts ok, missing, invalid and expired', async () => {
    const emu = await start({ users: [user], clients: [classic, rotating] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })

    const ok = await profile(emu, `Bearer ${session.AccessToken}`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ username: user.username, clientId: classic.clientId })

    const missing = await profile(emu)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="emulator"')

    for (const bad of [
      `Bearer ${session.IdToken}`,
      'Bearer not-a-jwt',
      `Bearer ${session.AccessToken.slice(0, -4)}AAAA`,
    ]) {
      const invalid = await profile(emu, bad)
      expect(invalid.status).toBe(401)
      expect(invalid.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
    }

    emu.faults.set({ clockOffsetMs: -3 * 3600_000 })
    const old = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const expired = await profile(emu, `Bearer ${old.AccessToken}`)
    expect(expired.status).toBe(401)
    expect(expired.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The access token expired"',
    )

    expect(emu.stats().demoApi).toEqual({ ok: 1, missing: 1, invalid: 3, expired: 1 })
  })

  it('rejects tokens of another issuer', async () => {
    const a = await start({ users: [user], clients: [classic], freshSigningKeys: true })
    const b = await start({ users: [user], clients: [classic], freshSigningKeys: true })
    const foreign = await b.signIn({ username: user.username, clientId: classic.clientId })
    const reply = await profile(a, `Bearer ${foreign.AccessToken}`)
    expect(reply.status).toBe(401)
    expect(a.stats().demoApi.invalid).toBe(1)
    const keysOf = async (emu: Emulator) =>
      ((await (await fetch(emu.jwksUri)).json()) as { keys: Array<{ kid: string }> }).keys.map(
        (k) => k.kid,
      )
    expect(await keysOf(a)).not.toEqual(await keysOf(b))
    // Emulators of one process share keys by default; the issuer still keeps them apart.
    const c = await start({ users: [user], clients: [classic] })
    const d = await start({ users: [user], clients: [classic] })
    expect(await keysOf(c)).toEqual(await keysOf(d))
    const fromD = await d.signIn({ username: user.username, clientId: classic.clientId })
    expect((await profile(c, `Bearer ${fromD.AccessToken}`)).status).toBe(401)
  })

  it('fetches the JWKS once and caches it', async () => {
    let jwksFetches = 0
    const emu = await start({
      users: [user],
      clients: [classic],
      // One line per request: `GET /<pool>/.well-known/jwks.json 200 3 ms`.
      log: (line) => (jwksFetches += /^GET \S+\/\.well-known\/jwks\.json 200 /.test(line) ? 1 : 0),
    })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    for (let i = 0; i < 5; i += 1) {
      expect((await profile(emu, `Bearer ${session.AccessToken}`)).status).toBe(200)
    }
    expect(jwksFetches).toBe(1)
    expect(emu.stats().demoApi.ok).toBe(5)
  })
})
