/**
 * Only components and hooks are client code: the built entries, loaded as the server side of a
 * React Server Components app loads them (a `'use client'` module's exports become client
 * references that throw when called), give the real errors, guards, client, query keys and query
 * options, and references for exactly the components and hooks.
 */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureLibraryBuilt, repoRoot } from './support'

const run = promisify(execFile)
const rsc = join(repoRoot, 'test', 'package', 'rsc')

/** Components and hooks: the only client references an entry may hand a Server Component. */
const clientCode = [
  'root.AuthProvider',
  'root.useAuth',
  'root.useAuthClient',
  'root.useAuthFetch',
  'root.useAuthState',
  'root.useTokens',
  'query.AuthQueryBridge',
  'query.useAuthMutation',
  'query.useAuthQuery',
  'query.useAuthQueryOptions',
  'query.useAuthQuerySync',
]

describe('server-safe entries', () => {
  beforeAll(async () => {
    await ensureLibraryBuilt()
  }, 300_000)

  it("no entry file is 'use client'; three chunks are (React's, TanStack Query's, useSignIn's), and they import no entry", () => {
    const dist = join(repoRoot, 'dist')
    const directive = /^\s*['"]use client['"]/
    const entries = readdirSync(dist).filter((f) => f.endsWith('.js') && !f.startsWith('emulator'))
    expect(entries).toEqual(expect.arrayContaining(['index.js', 'query.js', 'core.js']))
    for (const file of entries)
      expect(readFileSync(join(dist, file), 'utf8')).not.toMatch(directive)
    const chunks = readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js'))
    const client = chunks.filter((f) =>
      directive.test(readFileSync(join(dist, 'chunks', f), 'utf8')),
    )
    expect(client.map((f) => f.replace(/-[\w-]{8}\.js$/, '')).sort()).toEqual([
      'client',
      'query-client',
      'sign-in-client',
    ])
    for (const file of client) {
      expect(readFileSync(join(dist, 'chunks', file), 'utf8')).not.toMatch(/from "\.\.\//)
    }
  })

  it('on the server: the real values for everything else, references for components and hooks', async () => {
    const { stdout } = await run(process.execPath, ['--import', './register.mjs', 'server.mjs'], {
      cwd: rsc,
      timeout: 60_000,
    })
    const { kinds, calls, hook } = JSON.parse(stdout) as {
      kinds: Record<string, 'client' | 'server'>
      calls: Record<string, unknown>
      hook: string
    }
    const client = Object.keys(kinds).filter((name) => kinds[name] === 'client')
    expect(client.sort()).toEqual([...clientCode].sort())
    expect(Object.keys(kinds).length).toBeGreaterThan(50)
    expect(calls).toEqual({
      isAuthError: true,
      instanceOfAuthError: true,
      code: 'NetworkError',
      snapshot: 'loading',
      authQueryKey: ['todos', { authUser: 'sub-1' }],
      authUserOfKey: 'sub-1',
      authQueryOptionsKey: ['todos', { authUser: null }],
      isAuthFailure: false,
      shallowEqual: true,
    })
    // The hook is a reference there, as React's server makes it.
    expect(hook).toMatch(/^Attempted to call \w+\(\) from the server$/)
  }, 90_000)
})
