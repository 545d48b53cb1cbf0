/**
 * What the published files must be: production code (no development JSX, whatever NODE_ENV the
 * build ran under), and the worker refresh mode's files: the entry starts the worker with the plain
 * `new SharedWorker(new URL('./refresh-worker.js', import.meta.url), …)` that Vite and webpack 5
 * recognise (our own build must not rewrite it), and refresh-worker.js imports nothing, so a bundler
 * can emit it as it is and an app can serve a copy from its own origin.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureLibraryBuilt, filesUnder, repoRoot } from './support'

const dist = (file: string) => readFileSync(join(repoRoot, 'dist', file), 'utf8')

describe('the published files', () => {
  beforeAll(ensureLibraryBuilt, 600_000)

  it('the entry names the worker file in the form bundlers recognise', () => {
    expect(dist('worker.js')).toMatch(
      /new SharedWorker\(new URL\("\.\/refresh-worker\.js", import\.meta\.url\), \{\s*type: "module"/,
    )
    expect(existsSync(join(repoRoot, 'dist/assets'))).toBe(false) // not bundled by our build
  })

  it('every published file is production code: no development JSX runtime', () => {
    const js = filesUnder('dist').filter((file) => file.endsWith('.js'))
    expect(js.length).toBeGreaterThan(5)
    const dev = js.filter((file) =>
      /\bjsxDEV\b|react\/jsx-dev-runtime/.test(readFileSync(join(repoRoot, file), 'utf8')),
    )
    expect(dev).toEqual([])
  })

  it('refresh-worker.js is one self-contained module with the worker host in it', () => {
    const code = dist('refresh-worker.js')
    expect(code).not.toMatch(/\bimport\s*[\s{*("'][^;]*?from\s*["']|\bimport\s*\(\s*["']/)
    expect(code).toContain('react-cognito-refresh/worker@1')
    expect(code).toContain('GetTokensFromRefreshToken')
  })
})
