/**
 * The verbose log: one line per request, once it is over, naming the operation and the status
 * (and the error type, or that no reply was sent), never a token, a password or a secret.
 */
import { describe, expect, it } from 'vitest'
import { call, rotating, secretClient, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

describe('the request log', () => {
  it('names the operation and the status of each request, and no token material', async () => {
    const lines: string[] = []
    const emu = await start({
      users: [user],
      clients: [rotating, secretClient],
      log: (line) => lines.push(line),
    })
    const signIn = await call(emu, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: rotating.clientId,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    })
    const tokens = signIn.json.AuthenticationResult as Record<string, string>
    const refresh = (token: string) =>
      call(emu, 'GetTokensFromRefreshToken', { ClientId: rotating.clientId, RefreshToken: token })
    const rotated = (await refresh(tokens.RefreshToken as string)).json
      .AuthenticationResult as Record<string, string>
    await refresh('not.a.known.refresh.token')
    await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: secretClient.clientId,
      ClientSecret: secretClient.clientSecret,
      RefreshToken: rotated.RefreshToken,
    })
    emu.faults.failNext({ kind: 'drop' }, { kind: 'lostReply' })
    await refresh(rotated.RefreshToken as string).catch(() => undefined)
    await refresh(rotated.RefreshToken as string).catch(() => undefined)
    await call(emu, 'NoSuchOperation', {})
    await fetch(`${emu.tokenEndpoint}?refresh_token=${rotated.RefreshToken}`, { method: 'POST' })
    await fetch(`${emu.url}/_emulator/stats`)
    await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: '{}' })
    await fetch(emu.demoApiUrl, { headers: { authorization: `Bearer ${rotated.AccessToken}` } })
    // Each line is written when its request is over: wait for the last one.
    for (let i = 0; i < 100 && lines.length < 12; i += 1)
      await new Promise((r) => setTimeout(r, 10))

    const line = / \d+ ms$/
    expect(lines.every((l) => line.test(l))).toBe(true)
    const shown = lines.map((l) => l.replace(line, ''))
    expect(shown).toEqual(
      expect.arrayContaining([
        'POST / InitiateAuth 200',
        'POST / GetTokensFromRefreshToken 200',
        'POST / GetTokensFromRefreshToken 400 NotAuthorizedException',
        'POST / GetTokensFromRefreshToken 400 NotAuthorizedException',
        'POST / GetTokensFromRefreshToken no reply dropped',
        'POST / GetTokensFromRefreshToken no reply lostReply',
        'POST / (unknown operation) 400 UnknownOperationException',
        'POST /oauth2/token 400 invalid_request',
        'GET /_emulator/stats 200',
        'POST /_emulator/faults 415 UnsupportedMediaType',
        'GET /api/profile 200',
      ]),
    )
    const secrets = [
      ...Object.values(tokens),
      ...Object.values(rotated),
      user.password,
      secretClient.clientSecret,
    ].filter((s) => s.length > 8)
    for (const secret of secrets) {
      // A whole JWT or refresh token, or any of its parts.
      for (const part of secret.split('.').filter((p) => p.length > 8)) {
        expect(lines.join('\n')).not.toContain(part)
      }
    }
  })
})
