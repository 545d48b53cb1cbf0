/**
 * Fault values are bounded and validated: over HTTP a bad one answers 400 with a message naming
 * it, from code it throws a TypeError, and in both cases nothing changes (not even the valid
 * settings sent alongside it).
 */
import { describe, expect, it } from 'vitest'
import type { Emulator } from '../../src/emulator'
import { classic, start, stopEmulatorsAfterEach, user } from './helpers'

stopEmulatorsAfterEach()

async function postFaults(emu: Emulator, body: unknown) {
  const response = await fetch(`${emu.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, json: (await response.json()) as { message?: string } }
}

const year = 366 * 86_400_000

/** [settings, what the message must say]. Each goes with a valid `throttleRate: 0.9`. */
const badSettings: ReadonlyArray<[Record<string, unknown>, RegExp]> = [
  [{ latencyMs: 10 * 3_600_000 }, /latencyMs must be a number from 0 to 120000/],
  [{ latencyMs: -1 }, /latencyMs must be/],
  [{ latencyMs: 'slow' }, /latencyMs must be a number.*got "slow"/],
  [{ latencyMs: [1] }, /latencyMs \[min, max\] needs two numbers/],
  [{ latencyMs: [0, 1e9] }, /latencyMs\[1\] must be/],
  [{ errorRates: { InternalErrorException: 1.5 } }, /errorRates\.InternalErrorException .* 0 to 1/],
  [{ errorRates: { 'Bad Code!': 0.1 } }, /errorRates key must be an error type/],
  [{ errorRates: [0.5] }, /errorRates must be an object/],
  [{ dropRate: -0.1 }, /dropRate must be a number from 0 to 1/],
  [{ htmlRate: null }, /htmlRate must be a number from 0 to 1 \(got null\)/],
  [{ retryAfterSeconds: 1.5 }, /retryAfterSeconds must be an integer from 0 to 3600/],
  [{ retryAfterSeconds: 86_400 }, /retryAfterSeconds must be an integer/],
  [{ clockOffsetMs: 100 * year }, /clockOffsetMs must be a number from -/],
  [{ clockOffsetMs: '1h' }, /clockOffsetMs must be/],
  [
    { outage: { durationMs: 7 * 86_400_000 } },
    /outage\.durationMs must be a number from 0 to 86400000/,
  ],
  [{ outage: { durationMs: 10, fault: { kind: 'meltdown' } } }, /outage\.fault\.kind must be/],
  [{ outage: 5 }, /outage must be \{ durationMs, fault\? \} or null/],
  [
    { failNext: [{ kind: 'html', status: 200 }] },
    /failNext\[0\]\.status must be an integer from 400 to 599/,
  ],
  [{ failNext: [{ kind: 'throttle', retryAfterSeconds: -1 }] }, /failNext\[0\]\.retryAfterSeconds/],
  [
    { failNext: [{ kind: 'error', code: 'X', message: 'm'.repeat(5_000) }] },
    /failNext\[0\]\.message/,
  ],
  [{ failNext: Array.from({ length: 1_001 }, () => ({ kind: 'drop' })) }, /at most 1000 faults/],
  [{ failNext: { kind: 'drop' } }, /failNext must be a list/],
  [
    { operations: ['GetTokenFromRefreshToken'] },
    /operations must be null or a list of InitiateAuth/,
  ],
  [{ latency: 100 }, /unknown setting "latency"/],
]

describe('fault bounds', () => {
  it('answers 400 with a clear message over HTTP and changes nothing', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    emu.faults.set({ throttleRate: 0.5, failNext: [{ kind: 'drop' }] })
    const before = emu.faults.get()
    for (const [settings, message] of badSettings) {
      const reply = await postFaults(emu, { throttleRate: 0.9, ...settings })
      expect(reply.status, JSON.stringify(settings).slice(0, 80)).toBe(400)
      expect(reply.json.message).toMatch(/^Faults: /)
      expect(reply.json.message).toMatch(message)
      expect(emu.faults.get()).toEqual(before)
    }
    expect((await postFaults(emu, [1, 2])).json.message).toBe('The body must be a JSON object.')
  })

  it('throws a TypeError from code, and accepts the bounds themselves', async () => {
    const emu = await start({ users: [user], clients: [classic] })
    expect(() => emu.faults.set({ latencyMs: 1e9 })).toThrow(TypeError)
    expect(() => emu.faults.outage(Number.POSITIVE_INFINITY)).toThrow(/outage\.durationMs/)
    expect(() => emu.faults.failNext({ kind: 'nope' } as never)).toThrow(/failNext\[0\]\.kind/)
    const edge = emu.faults.set({
      latencyMs: [0, 120_000],
      retryAfterSeconds: 3_600,
      clockOffsetMs: -20 * year,
      operations: ['oauth2/token', 'oauth2/token'],
      failNext: Array.from({ length: 1_000 }, () => ({ kind: 'lostReply' as const })),
    })
    expect(edge.latencyMs).toEqual([0, 120_000])
    expect(edge.operations).toEqual(['oauth2/token'])
    expect(edge.queue).toHaveLength(1_000)
    // The queue is full: one more is refused, whether from code or over HTTP.
    expect(() => emu.faults.failNext({ kind: 'drop' })).toThrow(/1000 queued, 1 more given/)
    expect((await postFaults(emu, { failNext: [{ kind: 'drop' }] })).status).toBe(400)
    expect(emu.faults.get().queue).toHaveLength(1_000)
  })

  it('refuses bad initial faults at start', async () => {
    await expect(start({ faults: { throttleRate: 2 } })).rejects.toThrow(/throttleRate/)
  })
})
