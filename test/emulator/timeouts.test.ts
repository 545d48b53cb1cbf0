/**
 * Connection deadlines: a connection that sends nothing, drips its headers or drips its body is
 * answered 408 and closed by the deadline, while a normal request on another connection is
 * served meanwhile. Bad deadlines are refused at start.
 */
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { call, classic, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

interface Closed {
  afterMs: number
  reply: string
}

/** Opens a socket, lets `feed` write to it, and reports when the server closed it (or 5 s). */
function probe(emu: Emulator, feed: (write: (text: string) => void) => () => void) {
  return new Promise<Closed>((resolve) => {
    const started = Date.now()
    let reply = ''
    let stopFeeding = () => {}
    const socket = connect(emu.port, '127.0.0.1', () => {
      stopFeeding = feed((text) => {
        if (socket.writable) socket.write(text)
      })
    })
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (reply += chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      stopFeeding()
      resolve({ afterMs: Date.now() - started, reply })
    })
    // Bounded: a socket the server never closes fails the test instead of hanging it.
    socket.setTimeout(5_000, () => socket.destroy())
  })
}

const drip = (first: string, next: string, everyMs: number) => (write: (t: string) => void) => {
  write(first)
  const timer = setInterval(() => write(next), everyMs)
  return () => clearInterval(timer)
}

describe('connection deadlines', () => {
  it('close idle and slow-drip connections with 408, and keep serving', async () => {
    const emu = await start({
      users: [user],
      clients: [classic],
      timeouts: { headersMs: 400, requestMs: 800, keepAliveMs: 300 },
    })
    const headers =
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
      'X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\n'
    const [idle, slowHeaders, slowBody] = await Promise.all([
      probe(emu, () => () => {}),
      probe(emu, drip(headers, 'X-Drip: 1\r\n', 100)),
      probe(emu, drip(`${headers}Content-Length: 100000\r\n\r\n`, '{', 100)),
      // Served while the others hang on.
      call(emu, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: classic.clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }).then((reply) => expect(reply.status).toBe(200)),
    ])
    for (const closed of [idle, slowHeaders, slowBody]) {
      expect(closed.reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
    }
    // Each by its own deadline, plus the check interval (a quarter of headersMs) and slack for a
    // busy machine; without the deadlines they would stay open for 10 s and more.
    expect(idle.afterMs).toBeLessThan(3_000)
    expect(slowHeaders.afterMs).toBeLessThan(3_000)
    expect(slowBody.afterMs).toBeGreaterThanOrEqual(700)
    expect(slowBody.afterMs).toBeLessThan(3_000)
  })

  it('close a kept-alive connection that stays idle after its reply', async () => {
    const emu = await start({ users: [user], clients: [classic], timeouts: { keepAliveMs: 300 } })
    const closed = await probe(emu, (write) => {
      write('GET /_emulator/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      return () => {}
    })
    expect(closed.reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(closed.afterMs).toBeLessThan(3_000)
  })

  it('refuses deadlines out of range at start', async () => {
    await expect(start({ timeouts: { headersMs: 0 } })).rejects.toThrow(/timeouts\.headersMs/)
    await expect(start({ timeouts: { headersMs: 5_000, requestMs: 1_000 } })).rejects.toThrow(
      /timeouts\.requestMs must be an integer from 5000/,
    )
  })
})
