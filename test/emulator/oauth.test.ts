/** `POST /oauth2/token` with grant_type=refresh_token. */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import {
  classic,
  decode,
  rotating,
  secretClient,
  start,
  stopEmulatorsAfterEach,
  user,
} from './helpers'

stopEmulatorsAfterEach()

async function token(
  emu: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(emu.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  })
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  }
}

describe('/oauth2/token', () => {
  it('refreshes a public client and returns no refresh_token without rotation', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const reply = await token(emu, {
      grant_type: 'refresh_token',
      client_id: classic.clientId,
      refresh_token: session.RefreshToken,
    })
    expect(reply.status).toBe(200)
    expect(reply.headers.get('content-type')).toBe('application/json;charset=UTF-8')
    expect(Object.keys(reply.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'token_type',
    ])
    expect(reply.json.expires_in).toBe(3600)
    expect(reply.json.token_type).toBe('Bearer')
    expect(decode(reply.json.access_token as string).payload.origin_jti).toBe(
      decode(session.AccessToken).payload.origin_jti,
    )
  })

  it('rotates on a rotating client and refuses late reuse with invalid_grant', async () => {
    const emu = await start({ users: [user], clients: [rotating] })
    const session = await emu.signIn({ username: user.username, clientId: rotating.clientId })
    const form = {
      grant_type: 'refresh_token',
      client_id: rotating.clientId,
      refresh_token: session.RefreshToken,
    }
    const first = await token(emu, form)
    expect(typeof first.json.refresh_token).toBe('string')
    expect(first.json.refresh_token).not.toBe(session.RefreshToken)
    emu.faults.set({ clockOffsetMs: 31_000 })
    const late = await token(emu, form)
    expect(late.status).toBe(400)
    expect(late.json).toEqual({ error: 'invalid_grant' })
    expect(emu.stats().refreshes.map((r) => [r.operation, r.outcome])).toEqual([
      ['oauth2/token', 'ok'],
      ['oauth2/token', 'invalid_grant'],
    ])
  })

  it('authenticates confidential clients by Basic header or body', async () => {
    const emu = await start({ users: [user], clients: [secretClient] })
    const session = await emu.signIn({ username: user.username, clientId: secretClient.clientId })
    const basic = `Basic ${Buffer.from(`${secretClient.clientId}:${secretClient.clientSecret}`).toString('base64')}`
    const viaHeader = await token(
      emu,
      { grant_type: 'refresh_token', refresh_token: session.RefreshToken },
      { authorization: basic },
    )
    expect(viaHeader.status).toBe(200)
    const viaBody = await token(emu, {
      grant_type: 'refresh_token',
      refresh_token: session.RefreshToken,
      client_id: secretClient.clientId,
      client_secret: secretClient.clientSecret,
    })
    expect(viaBody.status).toBe(200)
    const wrong = `Basic ${Buffer.from(`${secretClient.clientId}:wrong`).toString('base64')}`
    expect(
      (
        await token(
          emu,
          { grant_type: 'refresh_token', refresh_token: session.RefreshToken },
          { authorization: wrong },
        )
      ).json,
    ).toEqual({ error: 'invalid_client' })
    expect(
      (
        await token(emu, {
          grant_type: 'refresh_token',
          refresh_token: session.RefreshToken,
          client_id: secretClient.clientId,
        })
      ).json,
    ).toEqual({ error: 'invalid_client' })
  })

  it('answers the OAuth error codes', async () => {
    const emu = await start({
      users: [user],
      clients: [classic, { clientId: 'tracked', deviceTracking: true }],
    })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const tracked = await emu.signIn({ username: user.username, clientId: 'tracked' })
    const cases: Array<[Record<string, string>, string]> = [
      [{ client_id: classic.clientId, refresh_token: session.RefreshToken }, 'invalid_request'],
      [{ grant_type: 'password', client_id: classic.clientId }, 'unsupported_grant_type'],
      [{ grant_type: 'refresh_token', client_id: classic.clientId }, 'invalid_request'],
      [
        { grant_type: 'refresh_token', client_id: 'nope', refresh_token: session.RefreshToken },
        'invalid_client',
      ],
      [
        { grant_type: 'refresh_token', client_id: classic.clientId, refresh_token: 'abc' },
        'invalid_grant',
      ],
      [
        { grant_type: 'refresh_token', client_id: 'tracked', refresh_token: session.RefreshToken },
        'invalid_grant',
      ],
      [
        { grant_type: 'refresh_token', client_id: 'tracked', refresh_token: tracked.RefreshToken },
        'invalid_grant',
      ],
    ]
    for (const [form, error] of cases) {
      const reply = await token(emu, form)
      expect(reply.status, JSON.stringify(form)).toBe(400)
      expect(reply.json, JSON.stringify(form)).toEqual({ error })
      expect(reply.headers.get('content-type')).toBe('application/json;charset=UTF-8')
    }
    const json = await fetch(emu.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(await json.json()).toEqual({ error: 'invalid_request' })
  })

  it('maps injected faults to HTTP replies', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const session = await emu.signIn({ username: user.username, clientId: classic.clientId })
    const form = {
      grant_type: 'refresh_token',
      client_id: classic.clientId,
      refresh_token: session.RefreshToken,
    }
    emu.faults.failNext(
      { kind: 'throttle', retryAfterSeconds: 3 },
      { kind: 'error', code: 'InternalErrorException' },
    )
    const throttled = await token(emu, form)
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('3')
    expect((await token(emu, form)).status).toBe(500)
    expect((await token(emu, form)).status).toBe(200)
  })
})
