/** The `npm run emulator` command: prints how to use it (never a token or secret), stops on signals. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const children = new Set<ChildProcess>()

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  children.clear()
})

function launch(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start:\n${output}`)), 15_000)
    child.stdout?.on('data', () => {
      if (output.includes('Ctrl+C stops it.')) {
        clearTimeout(timer)
        resolve(output)
      }
    })
    child.on('exit', () => {
      clearTimeout(timer)
      reject(new Error(`CLI exited early:\n${output}`))
    })
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, ready, exited, output: () => output }
}

describe('emulator CLI', () => {
  it('starts the demo pool, prints how to use it, and stops on SIGTERM', async () => {
    const cli = launch(['--port', '0'])
    const printed = await cli.ready
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1]
    expect(url).toBeDefined()
    expect(printed).toContain('us-east-1_localDemo')
    expect(printed).toContain('demo@example.com  password: Passw0rd!demo')
    expect(printed).toContain('rotatingdemoclient00000001')
    expect(printed).toContain('rotation ON (grace 10 s)')
    expect(printed).toContain('classicdemoclient000000002')
    const signIn = await fetch(`${url}/_emulator/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    const tokens = (await signIn.json()) as { RefreshToken: string; AccessToken: string }
    expect(tokens.RefreshToken.split('.')).toHaveLength(5)
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
    expect(cli.output()).not.toContain(tokens.RefreshToken.slice(0, 40))
    expect(cli.output()).not.toContain(tokens.AccessToken.split('.')[1] ?? 'x')
    expect(cli.output()).toContain('SIGTERM: stopping')
  })

  it('reads a config file and never prints a client secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'))
    const file = join(dir, 'emulator.json')
    const secret = 'thisisaverysecretclientsecret00'
    writeFileSync(
      file,
      JSON.stringify({
        userPoolId: 'eu-west-1_Test123',
        users: [{ username: 'zed', password: 'Passw0rd!zed' }],
        clients: [
          { clientId: 'configclient', clientSecret: secret, accessTokenValiditySeconds: 30 },
        ],
      }),
    )
    const cli = launch([
      '--port',
      '0',
      '--config',
      file,
      '--verbose',
      '--control-origin',
      'http://127.0.0.1:5173',
    ])
    const printed = await cli.ready
    expect(printed).toContain('eu-west-1_Test123 (region eu-west-1)')
    expect(printed).toContain('configclient')
    expect(printed).toContain('confidential (secret in your config)')
    expect(printed).toContain('access token 30 s')
    expect(printed).toContain('  zed')
    expect(printed).not.toContain('Passw0rd!zed')
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1]
    await fetch(`${url}/_emulator/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    const fromPage = await fetch(`${url}/_emulator`, {
      headers: { origin: 'http://127.0.0.1:5173' },
    })
    expect(fromPage.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173')
    const fromOther = await fetch(`${url}/_emulator`, {
      headers: { origin: 'http://127.0.0.1:5174' },
    })
    expect(fromOther.status).toBe(403)
    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    expect(cli.output()).toContain('[emulator] POST /_emulator/sign-in 200')
    expect(cli.output()).toContain('[emulator] GET /_emulator 403 ForbiddenOrigin')
    expect(cli.output()).not.toContain(secret)
  })

  it('fails with a readable message on a bad config', async () => {
    const cli = launch(['--port', '0', '--config', '/nonexistent/emulator.json'])
    await expect(cli.ready).rejects.toThrow(/cannot read \/nonexistent\/emulator.json/)
    expect(await cli.exited).toBe(1)
  })
})
