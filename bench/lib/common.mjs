// Shared helpers for the benchmark scripts: paths, the peers' install, the machine description,
// Chromium discovery, small statistics and Markdown tables.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const rootDir = join(benchDir, '..')
export const resultsDir = join(benchDir, 'results')
export const distDir = join(benchDir, 'dist')
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** True when this module file is the script node was started with. */
export function isMain(metaUrl) {
  return process.argv[1] !== undefined && fileURLToPath(metaUrl) === process.argv[1]
}

/** Installs the peers into bench/node_modules from the committed lock file when missing. */
export function ensurePeers() {
  const marker = join(benchDir, 'node_modules', '.package-lock.json')
  if (existsSync(marker)) return
  console.log('Installing the peers into bench/node_modules (npm ci --prefix bench) ...')
  const result = spawnSync(
    'npm',
    [
      'ci',
      '--prefix',
      benchDir,
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--legacy-peer-deps',
    ],
    { stdio: 'inherit' },
  )
  if (result.status !== 0) throw new Error('npm ci --prefix bench failed')
}

export function peerVersion(name) {
  const file = join(benchDir, 'node_modules', name, 'package.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'not installed'
}

export function ownVersion(name) {
  const file = join(rootDir, 'node_modules', name, 'package.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'not installed'
}

export function chromiumVersion() {
  if (!existsSync(chromiumPath)) return 'not installed'
  try {
    return execFileSync(chromiumPath, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

export function machine() {
  const cpu = cpus()
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    chromium: chromiumVersion(),
  }
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

/** A Markdown table from a header row and rows of cells. */
export function mdTable(header, rows, align) {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'))
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

export const fmt = (n) => Number(n).toLocaleString('en-US')

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Deterministic random numbers (mulberry32), for seeded simulations and chaos schedules. */
export function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
