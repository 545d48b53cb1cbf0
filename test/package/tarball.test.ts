/**
 * What `npm publish` would ship: LICENSE, README and dist; no tests; the source once (src/, which
 * the source maps and declaration maps point at, with no second copy in sourcesContent); and the
 * metadata and README links that make the npm page useful.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureLibraryBuilt, packageJson, repoRoot } from './support'

const run = promisify(execFile)
const repository = 'https://github.com/react-cognito-refresh/react-cognito-refresh'

interface PackResult {
  files: { path: string; size: number }[]
  entryCount: number
}

describe('the published tarball', () => {
  let files: string[]

  beforeAll(async () => {
    await ensureLibraryBuilt()
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repoRoot,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    })
    const [result] = JSON.parse(stdout) as PackResult[]
    files = (result?.files ?? []).map((file) => file.path)
  }, 300_000)

  it('has the licence, the README, package.json and every exported file', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/THIRD-PARTY-LICENSES.md',
      ]),
    )
    const licence = readFileSync(join(repoRoot, 'LICENSE'), 'utf8')
    expect(licence).toMatch(/^MIT License/)
    expect(licence).toContain('react-cognito-refresh contributors')
    const exported = JSON.stringify(packageJson).match(/\.\/dist\/[^"]+/g) ?? []
    expect(exported.length).toBeGreaterThan(5)
    // Every browser entry: the root and its subpaths, each with its declarations.
    for (const entry of [
      'index',
      'core',
      'transports',
      'migration',
      'sign-in',
      'server',
      'query',
      'identity-js',
      'worker',
    ]) {
      const types = entry === 'index' ? 'dist/index.d.ts' : `dist/${entry}/index.d.ts`
      expect(exported.map((path) => path.slice(2))).toEqual(
        expect.arrayContaining([`dist/${entry}.js`, types]),
      )
    }
    expect(exported.map((path) => path.slice(2)).filter((path) => !files.includes(path))).toEqual(
      [],
    )
  })

  it('ships no tests, stories, benchmarks or playground', () => {
    const stray = files.filter((path) =>
      /(^|\/)(test|tests|__tests__|bench|playground|stories)\/|\.(test|spec|stories)\.[cm]?[jt]sx?$/.test(
        path,
      ),
    )
    expect(stray).toEqual([])
  })

  it('ships the source once: maps point at the shipped src/ and carry no sourcesContent', () => {
    const maps = files.filter((path) => path.endsWith('.map'))
    expect(maps.some((path) => path.endsWith('.js.map'))).toBe(true)
    expect(maps.some((path) => path.endsWith('.d.ts.map'))).toBe(true)
    const problems: string[] = []
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(join(repoRoot, map), 'utf8')) as {
        sources: string[]
        sourcesContent?: (string | null)[]
      }
      if (parsed.sourcesContent?.some((content) => content !== null)) {
        problems.push(`${map}: sourcesContent`)
      }
      for (const source of parsed.sources) {
        const target = normalize(join(dirname(map), source))
        if (!files.includes(target)) problems.push(`${map}: ${source} is not in the tarball`)
      }
    }
    expect(problems).toEqual([])
  })

  it('names the repository, the homepage and where to report bugs', () => {
    expect(packageJson.repository).toEqual({ type: 'git', url: `git+${repository}.git` })
    expect(packageJson.homepage).toBe(`${repository}#readme`)
    expect(packageJson.bugs).toEqual({ url: `${repository}/issues` })
  })

  it("links the README's docs and benchmarks absolutely, to files that exist", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const targets = [
      ...readme.matchAll(/\]\(([^)\s]+)\)/g), // [text](target)
      ...readme.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm), // [name]: target
    ].map((match) => match[1] ?? '')
    // npm renders the README away from the repository: a relative link there is a dead link.
    expect(targets.filter((target) => !/^(https?:|#|mailto:)/.test(target))).toEqual([])
    const ours = targets.filter((target) => target.startsWith(`${repository}/`))
    expect(ours.length).toBeGreaterThan(5)
    const missing = ours.filter((target) => {
      const match = /^\/(?:blob|tree)\/main\/([^#?]*)/.exec(target.slice(repository.length))
      return match === null || !existsSync(join(repoRoot, match[1] ?? ''))
    })
    expect(missing).toEqual([])
  })
})
