/** Oversize bodies: the 413 error, and connections kept alive or closed as the size demands. */
import { Agent, request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { call, classic, rotating, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

const clients = [rotating, classic]

describe('body limits', () => {
  it('answers an oversize body with 413 and keeps the connection alive', async () => {
    const emu = await start({ users: [user], clients, behaviour: { maxBodyBytes: 4096 } })
    const big = JSON.stringify({ ClientId: classic.clientId, RefreshToken: 'a'.repeat(10_000) })
    const port = emu.port
    const replies: Array<{ status: number; socket: unknown; body: string }> = []
    // Two requests on one keep-alive socket: the second must be answered on the same connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    for (const body of [big, JSON.stringify({ ClientId: classic.clientId, RefreshToken: 'abc' })]) {
      replies.push(
        await new Promise((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/',
              agent,
              headers: {
                'content-type': 'application/x-amz-json-1.1',
                'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
              },
            },
            (res) => {
              let text = ''
              res.on('data', (chunk: Buffer) => (text += chunk.toString()))
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, socket: req.socket, body: text }),
              )
            },
          )
          req.on('error', reject)
          req.end(body)
        }),
      )
    }
    agent.destroy()
    expect(replies[0]?.status).toBe(413)
    expect(JSON.parse(replies[0]?.body ?? '{}').__type).toBe('RequestEntityTooLargeException')
    expect(replies[1]?.status).toBe(400)
    expect(JSON.parse(replies[1]?.body ?? '{}').message).toBe('Invalid Refresh Token.')
    expect(replies[1]?.socket).toBe(replies[0]?.socket)
  })

  it('closes the connection for a body far over the limit, then keeps serving', async () => {
    const emu = await start({ users: [user], clients, behaviour: { maxBodyBytes: 1024 } })
    const huge = 'x'.repeat(1024 * 64)
    const reply = await call(emu, 'GetTokensFromRefreshToken', huge).catch(
      (error: unknown) => error,
    )
    // Either the 413 arrives or the client sees the close mid-upload; both leave the server up.
    if (!(reply instanceof Error)) expect((reply as { status: number }).status).toBe(413)
    const after = await call(emu, 'GetTokensFromRefreshToken', {
      ClientId: classic.clientId,
      RefreshToken: 'abc',
    })
    expect(after.json.message).toBe('Invalid Refresh Token.')
  })
})
