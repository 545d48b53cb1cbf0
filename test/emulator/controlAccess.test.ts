/**
 * Who may drive the emulator: the Cognito routes keep Cognito's CORS (`*`), while the control
 * routes refuse other web pages (Origin), DNS rebinding (Host) and simple cross-site posts
 * (Content-Type), and nothing a refused request asked for happens.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { call, classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const evil = 'http://evil.example'
const page = 'http://127.0.0.1:5173'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  json: Record<string, unknown>
}

/** node:http, because fetch may not set Host. */
function raw(
  emu: Emulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: emu.port, method, path, headers, agent: false },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          let json: Record<string, unknown> = {}
          try {
            json = JSON.parse(text) as Record<string, unknown>
          } catch {
            // no JSON body (a preflight)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json })
        })
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const cognitoTarget = 'AWSCognitoIdentityProviderService.InitiateAuth'

describe('the control routes', () => {
  it('refuse a foreign page: simple CSRF post, preflight, reads and sign-in', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    const csrf = await raw(
      emu,
      'POST',
      '/_emulator/faults',
      { origin: evil, 'content-type': 'text/plain;charset=UTF-8' },
      '{"dropRate":1}',
    )
    expect(csrf.status).toBe(403)
    expect(csrf.json.message).toMatch(/origin "http:\/\/evil\.example".*controlOrigins/)
    expect(csrf.headers['access-control-allow-origin']).toBeUndefined()
    // Even with the JSON type: the browser would preflight, and the preflight fails.
    const preflight = await raw(emu, 'OPTIONS', '/_emulator/faults', {
      origin: evil,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    const json = { origin: evil, 'content-type': 'application/json' }
    expect((await raw(emu, 'POST', '/_emulator/faults', json, '{"dropRate":1}')).status).toBe(403)
    expect((await raw(emu, 'POST', '/_emulator/sign-in', json, '{}')).json).not.toHaveProperty(
      'RefreshToken',
    )
    expect((await raw(emu, 'POST', '/_emulator/users', json, '{}')).status).toBe(403)
    expect((await raw(emu, 'GET', '/_emulator', { origin: evil })).status).toBe(403)
    expect((await raw(emu, 'GET', '/', { origin: evil })).status).toBe(403)
    // A no-cors GET (an <img>) has no Origin, but the browser marks it cross-site.
    const img = await raw(emu, 'GET', '/_emulator/stats', { 'sec-fetch-site': 'cross-site' })
    expect(img.status).toBe(403)
    expect(emu.faults.get().dropRate).toBe(0)
    expect(emu.stats().calls).toEqual({})
  })

  it('serve a listed origin with its own CORS headers, never *', async () => {
    const emu = await start({ users: [user], clients: [classic], controlOrigins: [`${page}/`] })
    const preflight = await raw(emu, 'OPTIONS', '/_emulator/faults', {
      origin: page,
      'access-control-request-method': 'DELETE',
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe(page)
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE')
    expect(preflight.headers.vary).toBe('Origin')
    const set = await raw(
      emu,
      'POST',
      '/_emulator/faults',
      { origin: page, 'content-type': 'application/json' },
      '{"throttleRate":0.25}',
    )
    expect(set.status).toBe(200)
    expect(set.headers['access-control-allow-origin']).toBe(page)
    expect(emu.faults.get().throttleRate).toBe(0.25)
    // A listed page still cannot post text/plain: writes are JSON.
    const plain = await raw(
      emu,
      'POST',
      '/_emulator/faults',
      { origin: page, 'content-type': 'text/plain' },
      '{"throttleRate":1}',
    )
    expect(plain.status).toBe(415)
    expect(plain.json.message).toBe(
      'POST to the control endpoint needs Content-Type: application/json.',
    )
    expect(emu.faults.get().throttleRate).toBe(0.25)
    // Another port of the same host is another origin.
    const other = await raw(emu, 'GET', '/_emulator', { origin: 'http://127.0.0.1:5174' })
    expect(other.status).toBe(403)
  })

  it('serve Node and curl (no Origin) and the emulator its own origin, with JSON writes', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    expect((await raw(emu, 'GET', '/_emulator', {})).status).toBe(200)
    expect((await raw(emu, 'GET', '/_emulator', { origin: emu.url })).status).toBe(200)
    const form = await raw(
      emu,
      'POST',
      '/_emulator/reset',
      { 'content-type': 'application/x-www-form-urlencoded' },
      '',
    )
    expect(form.status).toBe(415)
    const reset = await raw(emu, 'POST', '/_emulator/reset', { 'content-type': 'application/json' })
    expect(reset.json).toEqual({ reset: true })
    expect((await raw(emu, 'DELETE', '/_emulator/faults', {})).status).toBe(200)
  })

  it('answer only to a loopback Host (or a listed one), against DNS rebinding', async () => {
    const emu = await start({ users: [user], clients: [classic], controlHosts: ['Emulator'] })
    const rebound = await raw(emu, 'GET', '/_emulator', { host: `evil.example:${emu.port}` })
    expect(rebound.status).toBe(421)
    expect(rebound.json).toEqual({
      __type: 'MisdirectedRequest',
      message: `The emulator's control endpoint answers only to 127.0.0.1, localhost or [::1] (any port) and to the hosts in controlHosts; this request named "evil.example:${emu.port}".`,
    })
    // Same-origin to the rebound name does not help either.
    const sameName = await raw(emu, 'POST', '/_emulator/sign-in', {
      host: 'evil.example',
      origin: 'http://evil.example',
      'content-type': 'application/json',
    })
    expect(sameName.status).toBe(421)
    for (const host of [`localhost:${emu.port}`, `[::1]:${emu.port}`, 'LOCALHOST', 'emulator:80']) {
      expect((await raw(emu, 'GET', '/_emulator', { host })).status, host).toBe(200)
    }
    expect((await raw(emu, 'GET', '/_emulator', { host: '127.0.0.1.evil.example' })).status).toBe(
      421,
    )
  })
})

describe('the Cognito routes', () => {
  it('keep the CORS Cognito sends, for any page and any Host', async () => {
    const emu = await start({ users: [user], clients: [classic, rotating] })
    const preflight = await raw(emu, 'OPTIONS', '/', {
      origin: evil,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-amz-target',
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    const signIn = await raw(
      emu,
      'POST',
      '/',
      {
        host: 'cognito-idp.example:443',
        origin: evil,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': cognitoTarget,
      },
      JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: classic.clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    )
    expect(signIn.status).toBe(200)
    expect(signIn.headers['access-control-allow-origin']).toBe('*')
    const jwks = await fetch(emu.jwksUri, { headers: { origin: evil } })
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*')
    const token = await call(emu, 'GetTokensFromRefreshToken', {}, { origin: evil })
    expect(token.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('refuse bad controlOrigins and controlHosts at start', async () => {
    await expect(start({ controlOrigins: ['*'] })).rejects.toThrow(/controlOrigins\[0\]/)
    await expect(start({ controlOrigins: ['http://x.test/app'] })).rejects.toThrow(
      /controlOrigins\[0\] must be an http\(s\) origin/,
    )
    await expect(start({ controlHosts: ['evil.example:80'] })).rejects.toThrow(/controlHosts\[0\]/)
  })
})
