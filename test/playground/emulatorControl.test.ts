import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../src/emulator/index'
import { EmulatorControlError, emulatorControl } from '../../playground/src/emulatorControl'

describe('the playground emulator control', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 })
  })
  afterAll(() => emulator?.stop())

  it('sends every control call as a non-simple JSON request with x-emulator-control', async () => {
    const seen: Array<{ method: string; headers: IncomingHttpHeaders; body: string }> = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        seen.push({ method: req.method ?? '', headers: req.headers, body })
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"queue":[]}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const control = emulatorControl(`http://127.0.0.1:${port}`)
      await control.faults()
      await control.setFaults({ failNext: [{ kind: 'lostReply' }] })
      await control.clearFaults()
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'DELETE'])
    for (const { headers } of seen) {
      expect(headers['content-type']).toBe('application/json')
      expect(headers['x-emulator-control']).toBe('1')
    }
    expect(JSON.parse(seen[1]!.body)).toMatchObject({ failNext: [{ kind: 'lostReply' }] })
  })

  it("rejects with the emulator's status and message when it refuses a fault", async () => {
    const control = emulatorControl(emulator.url)
    const refused = await control.setFaults({ failNext: [{ kind: 'noSuchKind' }] }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(EmulatorControlError)
    expect(refused).toMatchObject({ status: 400 })
    expect((refused as Error).message).toMatch(/fault/i)
    await expect(control.faults()).resolves.toMatchObject({ queue: [] })
  })

  it('says so when the emulator does not answer', async () => {
    const refused = await emulatorControl('http://127.0.0.1:9')
      .faults()
      .catch((error: unknown) => error)
    expect(refused).toMatchObject({ name: 'EmulatorControlError', status: 0 })
  })
})
