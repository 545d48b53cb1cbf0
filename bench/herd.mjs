// Thundering herd, by simulation on a virtual clock with the library's own scheduling and backoff
// code (refreshDueAt, backoffDelay from src/core): 100,000 clients over one day, a morning peak of
// sign-ins, a five-minute Cognito outage, and the account's default quota of 120 requests per
// second. Run with tsx (it imports the TypeScript sources): `npm run bench:herd`.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { backoffDelay, defaultBackoff, nearExpiryCapMs } from '../src/core/refresh/backoff.ts'
import { jitterSpanMs, leadTimeMs, refreshDueAt } from '../src/core/refresh/schedule.ts'
import { fmt, isMain, mdTable, resultsDir, mulberry32 } from './lib/common.mjs'

const HOUR = 3_600_000
const MIN = 60_000
const DAY = 24 * HOUR

export const scenario = {
  clients: 100_000,
  seed: 20261121,
  /** Cognito's default access-token validity. */
  lifetimeMs: HOUR,
  /** A shift starts at 09:00: this share signs in around it (normal, sigma below). */
  peakShare: 0.3,
  peakAt: 9 * HOUR,
  peakSigmaMs: 2 * MIN,
  /** The rest sign in uniformly over these hours. */
  uniformFrom: 7 * HOUR,
  uniformTo: 21 * HOUR,
  /** How long a user keeps the app open: uniform in this range (ms). */
  sessionMs: [2 * HOUR, 10 * HOUR],
  /** Every refresh in this window fails retryably (InternalErrorException). */
  outageFrom: 9 * HOUR + 53 * MIN,
  outageMs: 5 * MIN,
  /** The account's default requests-per-second quota; beyond it: TooManyRequestsException. */
  quotaPerSecond: 120,
  latencyMs: 100,
}

function gaussian(random) {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** A binary min-heap of numbers (time * 2^17 + client id). */
class Heap {
  a = new Float64Array(1 << 18)
  n = 0
  push(x) {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    const a = this.a
    let i = this.n++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (a[p] <= x) break
      a[i] = a[p]
      i = p
    }
    a[i] = x
  }
  pop() {
    const a = this.a
    const top = a[0]
    const x = a[--this.n]
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= this.n) break
      if (c + 1 < this.n && a[c + 1] < a[c]) c++
      if (a[c] >= x) break
      a[i] = a[c]
      i = c
    }
    a[i] = x
    return top
  }
}

const ID_BITS = 2 ** 17

/**
 * One simulated day. `jitter: true` is the library's default (a random fixed jitter per client and
 * full-jitter backoff); `false` sets jitter 0 and makes the backoff deterministic (the ceiling).
 */
export function simulate({ jitter }, s = scenario) {
  const population = mulberry32(s.seed) // the same users for both variants
  const random = mulberry32(s.seed + (jitter ? 1 : 2))
  const n = s.clients
  const signIn = new Float64Array(n)
  const signOut = new Float64Array(n)
  const clientJitter = new Float64Array(n)
  const expiresAt = new Float64Array(n)
  const receivedAt = new Float64Array(n)
  const attempt = new Int32Array(n)
  const victim = new Uint8Array(n) // failed during the outage and not yet refreshed since
  const heap = new Heap()
  const seconds = Math.ceil(DAY / 1000) + 3600
  const attempts = new Int32Array(seconds)
  const accepted = new Int32Array(seconds)
  const throttled = new Int32Array(seconds)
  const signIns = new Int32Array(seconds)
  const expiredNow = new Int32Array(seconds) // clients whose access token is expired, by second
  const deterministic = () => 1 - 2 ** -52
  const backoffRandom = jitter ? random : deterministic
  let expiredEpisodes = 0
  let maxExpiredAt = 0
  let drainedAt = s.outageFrom + s.outageMs
  const outageTo = s.outageFrom + s.outageMs

  for (let i = 0; i < n; i++) {
    const t =
      population() < s.peakShare
        ? s.peakAt + gaussian(population) * s.peakSigmaMs
        : s.uniformFrom + population() * (s.uniformTo - s.uniformFrom)
    signIn[i] = Math.round(t)
    signOut[i] = Math.min(
      DAY,
      signIn[i] + s.sessionMs[0] + population() * (s.sessionMs[1] - s.sessionMs[0]),
    )
    clientJitter[i] = jitter ? random() : 0
    signIns[Math.floor(signIn[i] / 1000)]++
    receivedAt[i] = signIn[i]
    expiresAt[i] = signIn[i] + s.lifetimeMs
    const due = refreshDueAt(
      { expiresAt: expiresAt[i], receivedAt: receivedAt[i] },
      clientJitter[i],
    )
    heap.push(Math.round(due) * ID_BITS + i)
  }

  const expiredSpans = [] // [from, to) in ms, for the count of expired tokens over time
  while (heap.n > 0) {
    const x = heap.pop()
    const t = Math.floor(x / ID_BITS)
    const i = x - t * ID_BITS
    if (t >= signOut[i] || t >= DAY) continue
    const sec = Math.floor(t / 1000)
    attempts[sec]++
    let failed = false
    if (t >= s.outageFrom && t < outageTo) failed = true
    else if (accepted[sec] >= s.quotaPerSecond) {
      throttled[sec]++
      failed = true
    } else accepted[sec]++
    if (failed) {
      if (t < outageTo && t >= s.outageFrom) victim[i] = 1
      // As the refresher does: the cap follows the validity the access token has left.
      const delay = backoffDelay(attempt[i], backoffRandom, undefined, undefined, expiresAt[i] - t)
      attempt[i]++
      heap.push(Math.round(t + Math.max(1, delay)) * ID_BITS + i)
      continue
    }
    const now = t + s.latencyMs
    if (now > expiresAt[i]) {
      expiredEpisodes++
      expiredSpans.push(expiresAt[i], now)
    }
    if (victim[i]) drainedAt = Math.max(drainedAt, now)
    victim[i] = 0
    attempt[i] = 0
    receivedAt[i] = now
    expiresAt[i] = now + s.lifetimeMs
    const due = refreshDueAt({ expiresAt: expiresAt[i], receivedAt: now }, clientJitter[i])
    heap.push(Math.round(due) * ID_BITS + i)
  }
  for (let k = 0; k < expiredSpans.length; k += 2) {
    for (let q = Math.ceil(expiredSpans[k] / 1000); q < expiredSpans[k + 1] / 1000; q++) {
      expiredNow[q]++
    }
  }
  let peak = 0
  let peakSec = 0
  let peakOutside = 0
  let peakAfter = 0
  let overQuotaSeconds = 0
  let refreshes = 0
  let expiredSeconds = 0
  let totalAttempts = 0
  let totalThrottled = 0
  for (let q = 0; q < seconds; q++) {
    totalAttempts += attempts[q]
    totalThrottled += throttled[q]
    refreshes += accepted[q]
    expiredSeconds += expiredNow[q]
    if (attempts[q] > s.quotaPerSecond) overQuotaSeconds++
    if (attempts[q] > peak) {
      peak = attempts[q]
      peakSec = q
    }
    const inOutage = q * 1000 >= s.outageFrom && q * 1000 < outageTo + 30 * MIN
    if (!inOutage && attempts[q] > peakOutside) peakOutside = attempts[q]
    const afterOutage = q * 1000 >= outageTo && q * 1000 < outageTo + 30 * MIN
    if (afterOutage && attempts[q] > peakAfter) peakAfter = attempts[q]
    if (expiredNow[q] > expiredNow[maxExpiredAt]) maxExpiredAt = q
  }
  return {
    jitter,
    attempts,
    throttled,
    signIns,
    expiredNow,
    peak,
    peakAt: peakSec * 1000,
    peakOutside,
    peakAfter,
    overQuotaSeconds,
    totalAttempts,
    totalThrottled,
    refreshes,
    expiredEpisodes,
    maxExpired: expiredNow[maxExpiredAt],
    expiredClientMinutes: Math.round(expiredSeconds / 60),
    drainMs: drainedAt - outageTo,
  }
}

const hhmm = (ms) => {
  const m = Math.floor(ms / MIN)
  const sec = Math.floor((ms % MIN) / 1000)
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
}

/** An SVG line chart of requests per second around the morning peak and the outage. */
export function chartSvg(runs, s = scenario) {
  const from = 8 * HOUR + 45 * MIN
  const to = 12 * HOUR
  const W = 1000
  const H = 420
  const L = 60
  const R = 20
  const T = 40
  const B = 50
  const n0 = from / 1000
  const n1 = to / 1000
  const maxY = Math.max(
    s.quotaPerSecond * 1.2,
    ...runs.map((r) => Math.max(...r.attempts.slice(n0, n1))),
  )
  const yMax = Math.ceil(maxY / 100) * 100
  const x = (sec) => L + ((sec - n0) / (n1 - n0)) * (W - L - R)
  const y = (v) => T + (1 - v / yMax) * (H - T - B)
  const line = (arr, color, width) => {
    const pts = []
    for (let q = n0; q < n1; q++) pts.push(`${x(q).toFixed(1)},${y(arr[q]).toFixed(1)}`)
    return `<polyline fill="none" stroke="${color}" stroke-width="${width}" points="${pts.join(' ')}"/>`
  }
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<rect x="${x(s.outageFrom / 1000)}" y="${T}" width="${x((s.outageFrom + s.outageMs) / 1000) - x(s.outageFrom / 1000)}" height="${H - T - B}" fill="#fde2e2"/>`,
    `<text x="${x(s.outageFrom / 1000) + 4}" y="${T + 14}" fill="#b00">outage (5 min)</text>`,
  ]
  for (let v = 0; v <= yMax; v += yMax / 5) {
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    )
  }
  for (let t = from; t <= to; t += 15 * MIN) {
    parts.push(
      `<line x1="${x(t / 1000)}" x2="${x(t / 1000)}" y1="${H - B}" y2="${H - B + 5}" stroke="#333"/>`,
      `<text x="${x(t / 1000)}" y="${H - B + 18}" text-anchor="middle">${hhmm(t).slice(0, 5)}</text>`,
    )
  }
  parts.push(
    line(runs[0].signIns, '#bbb', 1),
    ...runs.map((r) => line(r.attempts, r.jitter ? '#1f77b4' : '#d62728', 1.2)),
    `<line x1="${L}" x2="${W - R}" y1="${y(s.quotaPerSecond)}" y2="${y(s.quotaPerSecond)}" stroke="#000" stroke-dasharray="6 4"/>`,
    `<text x="${W - R - 4}" y="${y(s.quotaPerSecond) - 5}" text-anchor="end">default quota ${s.quotaPerSecond}/s</text>`,
    `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#333"/>`,
    `<text x="${L}" y="22" font-size="14" font-weight="bold">Refresh requests per second, ${fmt(s.clients)} clients, 1-hour tokens (simulated with src/core schedule + backoff)</text>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">time of day</text>`,
    `<rect x="${L + 520}" y="${T + 24}" width="12" height="3" fill="#1f77b4"/><text x="${L + 538}" y="${T + 29}">with jitter (library default)</text>`,
    `<rect x="${L + 520}" y="${T + 40}" width="12" height="3" fill="#d62728"/><text x="${L + 538}" y="${T + 45}">without jitter (jitter 0, deterministic exponential backoff)</text>`,
    `<rect x="${L + 520}" y="${T + 56}" width="12" height="3" fill="#bbb"/><text x="${L + 538}" y="${T + 61}">sign-ins per second (not refreshes)</text>`,
    '</svg>',
  )
  return parts.join('\n')
}

/** Renders the SVG to PNG with Chromium; returns false when Chromium is not available. */
export async function svgToPng(svg, pngPath) {
  const { chromiumArgs, chromiumPath } = await import('./lib/common.mjs')
  const { existsSync } = await import('node:fs')
  if (!existsSync(chromiumPath)) return false
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 420 } })
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`)
    await page.locator('svg').screenshot({ path: pngPath })
  } finally {
    await browser.close()
  }
  return true
}

export async function runHerd({ png = true } = {}) {
  const s = scenario
  const started = Date.now()
  const runs = [simulate({ jitter: true }), simulate({ jitter: false })]
  const simMs = Date.now() - started
  const svg = chartSvg(runs)
  const svgPath = join(resultsDir, 'herd.svg')
  const pngPath = join(resultsDir, 'herd.png')
  writeFileSync(svgPath, svg)
  const pngWritten = png ? await svgToPng(svg, pngPath) : false
  const rows = runs.map((r) => [
    r.jitter ? 'with jitter (default)' : 'without jitter',
    fmt(r.peak),
    hhmm(r.peakAt),
    fmt(r.peakAfter),
    fmt(r.peakOutside),
    fmt(r.overQuotaSeconds),
    fmt(r.totalAttempts),
    fmt(r.refreshes),
    fmt(r.totalThrottled),
    fmt(r.maxExpired),
    fmt(r.expiredClientMinutes),
    `${Math.round(r.drainMs / 1000)} s`,
  ])
  const lead = leadTimeMs(s.lifetimeMs) / 1000
  const span = jitterSpanMs(s.lifetimeMs) / 1000
  const markdown = [
    `Scenario: ${fmt(s.clients)} clients; ${s.peakShare * 100}% sign in around ${hhmm(s.peakAt).slice(0, 5)} (normal, sigma ${s.peakSigmaMs / MIN} min), the rest uniformly ${hhmm(s.uniformFrom).slice(0, 5)}-${hhmm(s.uniformTo).slice(0, 5)}; each keeps the app open ${s.sessionMs[0] / HOUR}-${s.sessionMs[1] / HOUR} h; 1-hour access tokens (lead time ${lead} s, jitter span ${span} s from \`leadTimeMs\`/\`jitterSpanMs\`); ${s.latencyMs} ms reply latency. ` +
      `Outage ${hhmm(s.outageFrom).slice(0, 5)}-${hhmm(s.outageFrom + s.outageMs).slice(0, 5)} (every refresh fails retryably), placed on the morning cohort's first refresh wave. ` +
      `Beyond ${s.quotaPerSecond} requests in a second, Cognito answers TooManyRequestsException (no Retry-After), which the clients retry with \`backoffDelay\` (base ${defaultBackoff.baseMs / 1000} s; cap half the time to or since the access token's expiry, between ${nearExpiryCapMs / 1000} s and ${defaultBackoff.maxMs / 1000} s). Refresh requests only; sign-ins are plotted but not counted against the quota.`,
    '',
    mdTable(
      [
        'variant',
        'peak requests/s',
        'peak at',
        'peak/s in the 30 min after the outage',
        'peak/s away from the outage',
        'seconds over 120/s',
        'refresh requests (day)',
        'successful refreshes (day)',
        'throttled',
        'max clients with an expired access token at once',
        'client-minutes with an expired access token',
        'last outage victim refreshed, after the outage end',
      ],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    pngWritten
      ? '![Refresh requests per second around the morning peak and the outage](bench/results/herd.png)'
      : '(PNG not rendered: Chromium not found; the SVG is at bench/results/herd.svg.)',
    '',
    `Simulation time: ${(simMs / 1000).toFixed(1)} s for both variants.`,
  ].join('\n')
  const summary = runs.map((r) => ({
    jitter: r.jitter,
    peak: r.peak,
    peakAt: hhmm(r.peakAt),
    peakAfter: r.peakAfter,
    peakOutside: r.peakOutside,
    overQuotaSeconds: r.overQuotaSeconds,
    totalAttempts: r.totalAttempts,
    refreshes: r.refreshes,
    totalThrottled: r.totalThrottled,
    expiredEpisodes: r.expiredEpisodes,
    maxExpired: r.maxExpired,
    expiredClientMinutes: r.expiredClientMinutes,
    drainMs: r.drainMs,
  }))
  return { runs: summary, markdown, pngWritten }
}

if (isMain(import.meta.url)) {
  const result = await runHerd()
  console.log(result.markdown)
}
