/** Bad input and load: every request gets the right answer, the server never falls over. */
import { connect } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { authResult, call, classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

function rawHttp(emu: Emulator, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(emu.port, '127.0.0.1', () => socket.write(payload))
    let text = ''
    socket.on('data', (chunk) => (text += chunk.toString()))
    socket.on('close', () => resolve(text))
    socket.on('error', () => resolve(text))
    socket.setTimeout(2000, () => socket.destroy())
  })
}

async function stillServes(emu: Emulator): Promise<void> {
  const reply = await call(emu, 'GetTokensFromRefreshToken', {
    ClientId: classic.clientId,
    RefreshToken: 'abc',
  })
  expect(reply.json).toEqual({
    __type: 'NotAuthorizedException',
    message: 'Invalid Refresh Token.',
  })
}

describe('robustness', () => {
  it('answers arbitrary JSON bodies on every operation with a Cognito error or a result', async () => {
    const emu = await start({ users: [user], clients: [classic, rotating] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const known = ['InitiateAuth', 'GetTokensFromRefreshToken', 'RevokeToken']
    const member = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(
        classic.clientId,
        rotating.clientId,
        session.RefreshToken,
        'REFRESH_TOKEN_AUTH',
        'USER_PASSWORD_AUTH',
        null,
      ),
    )
    const body = fc.record(
      {
        ClientId: member,
        RefreshToken: member,
        Token: member,
        AuthFlow: member,
        AuthParameters: fc.oneof(
          member,
          fc.dictionary(
            fc.constantFrom('REFRESH_TOKEN', 'USERNAME', 'PASSWORD', 'DEVICE_KEY', 'SECRET_HASH'),
            member,
          ),
        ),
        ClientSecret: member,
        DeviceKey: member,
        ClientMetadata: fc.oneof(member, fc.dictionary(fc.string(), member)),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...known), body, async (operation, input) => {
        const reply = await call(emu, operation, input)
        if (reply.status === 200) return
        expect(reply.status).toBe(400)
        expect(reply.json.__type).toMatch(
          /^(SerializationException|InvalidParameterException|NotAuthorizedException|ResourceNotFoundException|UnsupportedTokenTypeException|UnauthorizedException)$/,
        )
        expect(reply.headers.get('x-amzn-errortype')).toBe(`${String(reply.json.__type)}:`)
      }),
      { numRuns: 150, seed: 20261121 },
    )
    expect(emu.stats().calls.GetTokensFromRefreshToken?.InternalErrorException).toBeUndefined()
    await stillServes(emu)
  })

  it('survives malformed HTTP and half-sent requests', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    expect(await rawHttp(emu, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/)
    expect(await rawHttp(emu, `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 400/,
    )
    // Announces 100 bytes, sends 10, hangs up.
    await new Promise<void>((resolve) => {
      const socket = connect(emu.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: 100\r\n\r\n{"ClientId"',
        )
        socket.destroy()
        resolve()
      })
    })
    const viaSocket = await rawHttp(
      emu,
      'POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.GetTokensFromRefreshToken\r\nContent-Length: 2\r\n\r\n{}',
    )
    expect(viaSocket).toMatch(/^HTTP\/1\.1 400/)
    expect(viaSocket).toContain('x-amzn-ErrorType: InvalidParameterException:')
    await stillServes(emu)
  })

  it('answers hundreds of concurrent refreshes across families, with bad requests mixed in', async () => {
    const emu = await start({ users: [user], clients: [classic, rotating] })
    const sessions = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        emu.signIn({
          username: user.username,
          clientId: i % 2 === 0 ? classic.clientId : rotating.clientId,
        }),
      ),
    )
    const jobs = Array.from({ length: 400 }, (_, i) => {
      const session = sessions[i % sessions.length]
      const clientId = (i % sessions.length) % 2 === 0 ? classic.clientId : rotating.clientId
      if (i % 10 === 9)
        return call(emu, 'GetTokensFromRefreshToken', '{broken').then((r) => ['bad', r] as const)
      return call(emu, 'GetTokensFromRefreshToken', {
        ClientId: clientId,
        RefreshToken: session?.RefreshToken,
      }).then((r) => [clientId, r] as const)
    })
    const replies = await Promise.all(jobs)
    for (const [kind, reply] of replies) {
      if (kind === 'bad') {
        expect(reply.json.__type).toBe('SerializationException')
        continue
      }
      expect(reply.status).toBe(200)
      if (kind === rotating.clientId) expect(authResult(reply).RefreshToken).toBeDefined()
      else expect(authResult(reply).RefreshToken).toBeUndefined()
    }
    expect(emu.stats().calls.GetTokensFromRefreshToken).toEqual({
      ok: 360,
      SerializationException: 40,
    })
    // One rotation per rotating family: every concurrent reuse got the same successor.
    const successors = new Map<string, Set<unknown>>()
    replies.forEach(([kind, reply], i) => {
      if (kind !== rotating.clientId) return
      const key = String(i % sessions.length)
      const set = successors.get(key) ?? new Set()
      set.add(authResult(reply).RefreshToken)
      successors.set(key, set)
    })
    expect([...successors.values()].every((set) => set.size === 1)).toBe(true)
    await stillServes(emu)
  })

  it('rejects invalid options early with a message naming the field', async () => {
    await expect(start({ clients: [{ accessTokenValiditySeconds: 0 }] })).rejects.toThrow(
      /accessTokenValiditySeconds/,
    )
    await expect(
      start({
        clients: [{ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 61 } }],
      }),
    ).rejects.toThrow(/retryGracePeriodSeconds/)
    await expect(start({ userPoolId: 'nounderscore' })).rejects.toThrow(/userPoolId/)
    await expect(start({ clients: [{ clientSecret: 'short' }] })).rejects.toThrow(/clientSecret/)
    await expect(start({ users: [user, user] })).rejects.toThrow(/duplicate/)
  })

  it('stops cleanly with keep-alive connections open, and stop() is idempotent', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    await stillServes(emu)
    await Promise.all([emu.stop(), emu.stop()])
    await expect(fetch(`${emu.url}/`)).rejects.toThrow()
  })
})
