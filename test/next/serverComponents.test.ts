/**
 * A real Next.js App Router build: the packed library (as an app installs it) imported into a
 * Server Component, which calls the errors, guards, the client, query keys and query options on
 * the server, and renders the provider and a hook in client components. Built with `next build`,
 * started with `next start` on a free port, and requested.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureLibraryBuilt, repoRoot } from '../package/support'

const run = promisify(execFile)
const app = join(repoRoot, 'test', 'next-app')
const next = join(app, 'node_modules', 'next', 'dist', 'bin', 'next')
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }

/** A port the system just gave out and took back. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** The app's own dependencies (its lockfile), then the library as `npm pack` ships it. */
async function install() {
  if (!existsSync(next)) {
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, timeout: 300_000 })
  }
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

describe('in a Next.js App Router build', () => {
  let server: ChildProcess | undefined
  let url = ''
  let log = ''

  beforeAll(async () => {
    await ensureLibraryBuilt()
    await install()
    await run(process.execPath, [next, 'build'], { cwd: app, env, timeout: 300_000 })
    const port = await freePort()
    url = `http://127.0.0.1:${port}/`
    server = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
    server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
    for (let waited = 0; !/Ready in/.test(log); waited += 100) {
      if (waited > 60_000 || server.exitCode !== null) throw new Error(`next start: ${log}`)
      await sleep(100)
    }
  }, 600_000)

  afterAll(async () => {
    if (server === undefined || server.exitCode !== null) return
    const exited = new Promise((resolve) => server?.once('exit', resolve))
    server.kill('SIGTERM')
    const killer = setTimeout(() => server?.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
  })

  it('a Server Component calls the server-safe exports, and the client components render', async () => {
    const response = await fetch(url)
    const html = await response.text()
    expect(response.status, log).toBe(200)
    const server = /<pre id="server">([^<]*)<\/pre>/.exec(html)?.[1]?.replace(/&quot;/g, '"')
    expect(JSON.parse(server ?? 'null')).toEqual({
      isAuthError: true,
      instanceOf: true,
      code: 'NetworkError',
      key: ['todos', { authUser: 'sub-1' }],
      user: 'sub-1',
      optionsKey: ['todos', { authUser: null }],
      failure: false,
      shallow: true,
    })
    // The provider and the hook, server-rendered as client components are.
    expect(html).toMatch(/<p id="status">status: (<!-- -->)?loading<\/p>/)
    expect(log).not.toMatch(/Error/)
  }, 60_000)
})
