/**
 * A Next.js app of this repository (test/next-app, examples/nextjs) as an app would have it: its
 * own dependencies from its lockfile, the library as `npm pack` ships it, `next build`, and
 * `next start` on a free port, stopped by the test that started it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { ensureLibraryBuilt, repoRoot } from '../package/support'

export const run = promisify(execFile)
const nextBin = (app: string) => join(app, 'node_modules', 'next', 'dist', 'bin', 'next')

/** A port the system just gave out and took back. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** The app's own dependencies (its lockfile), then the library as `npm pack` ships it. */
export async function installApp(app: string): Promise<void> {
  await ensureLibraryBuilt()
  if (!existsSync(nextBin(app))) {
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, timeout: 300_000 })
  }
  await installPackedLibrary(app)
}

/** The library as `npm pack` ships it, into `app`'s node_modules. */
export async function installPackedLibrary(app: string): Promise<void> {
  await ensureLibraryBuilt()
  const packed = mkdtempSync(join(tmpdir(), 'rcr-pack-'))
  try {
    await run('npm', ['pack', '--pack-destination', packed], { cwd: repoRoot, timeout: 120_000 })
    const tarball = readdirSync(packed).find((f) => f.endsWith('.tgz'))
    if (tarball === undefined) throw new Error('npm pack wrote no tarball')
    const target = join(app, 'node_modules', 'react-cognito-refresh')
    rmSync(target, { recursive: true, force: true })
    mkdirSync(target, { recursive: true })
    await run('tar', ['-xzf', join(packed, tarball), '-C', target, '--strip-components=1'])
  } finally {
    rmSync(packed, { recursive: true, force: true })
  }
}

const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }

/** `next build` (Turbopack, Next's default), or with `--webpack`; `env` for the build's config. */
export async function buildApp(
  app: string,
  { webpack = false, env = {} as Record<string, string> } = {},
): Promise<void> {
  await run(process.execPath, [nextBin(app), 'build', ...(webpack ? ['--webpack'] : [])], {
    cwd: app,
    env: { ...baseEnv, ...env },
    timeout: 300_000,
  })
}

export interface RunningApp {
  url: string
  /** Everything the server printed so far. */
  log(): string
  stop(): Promise<void>
}

/** `next start` on 127.0.0.1:`port`, ready when it says so. */
export async function startApp(
  app: string,
  port: number,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  let log = ''
  const server: ChildProcess = spawn(
    process.execPath,
    [nextBin(app), 'start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: app, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return
    const exited = new Promise((resolve) => server.once('exit', resolve))
    server.kill('SIGTERM')
    const killer = setTimeout(() => server.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
  }
  for (let waited = 0; !/Ready in/.test(log); waited += 100) {
    if (waited > 60_000 || server.exitCode !== null) {
      await stop()
      throw new Error(`next start: ${log}`)
    }
    await sleep(100)
  }
  return { url: `http://127.0.0.1:${port}`, log: () => log, stop }
}
