/**
 * What the package tests read: the built dist (built here when missing or older than its
 * sources), package.json, and the bare imports of a built file.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type BuildTarget, ensureBuilt, repoRoot } from '../e2e/playground-support/builds'

export { repoRoot }

export interface PackageJson {
  name: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  files?: string[]
  exports?: Record<string, unknown>
  repository?: { type?: string; url?: string }
  homepage?: string
  bugs?: { url?: string }
  license?: string
}

export const packageJson = JSON.parse(
  readFileSync(join(repoRoot, 'package.json'), 'utf8'),
) as PackageJson

const libraryBuild: BuildTarget = {
  script: 'build',
  // tsc runs last in scripts/build.mjs.
  marker: 'dist/index.d.ts',
  inputs: ['src', 'package.json', 'scripts/build.mjs', 'vite.config.ts', 'tsconfig.build.json'],
}

/**
 * `npm run build` unless dist is fresh. Test files run in parallel and the build empties dist
 * first, so one file builds at a time (a lock directory; the wait is bounded).
 */
export async function ensureLibraryBuilt(): Promise<void> {
  const lock = join(repoRoot, 'node_modules', '.cache', 'rcr-library-build.lock')
  mkdirSync(join(lock, '..'), { recursive: true })
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // A lock older than any build is left over from a killed run.
      // (It may also have gone between the two calls: then the next round takes it.)
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - since > 300_000) rmSync(lock, { recursive: true, force: true })
      if (waited > 300_000) throw new Error('timed out waiting for another test to build dist')
      await sleep(250)
    }
  }
  try {
    await ensureBuilt(libraryBuild)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** Every file under `dir`, as paths relative to the repository root. */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  const visit = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name)
      if (statSync(full).isDirectory()) visit(full)
      else out.push(relative(repoRoot, full))
    }
  }
  visit(join(repoRoot, dir))
  return out.sort()
}

/** The package each bare specifier names (`@scope/name/sub` → `@scope/name`), relative ones left out. */
export function bareImports(code: string): Set<string> {
  const specifiers = [
    ...code.matchAll(/\b(?:import|export)\s[^'"`;]*?\sfrom\s*(['"])([^'"]+)\1/g),
    ...code.matchAll(/\bimport\s*(['"])([^'"]+)\1/g),
    ...code.matchAll(/\bimport\(\s*(['"])([^'"]+)\1\s*\)/g),
  ].map((match) => match[2] ?? '')
  const names = new Set<string>()
  for (const spec of specifiers) {
    if (spec === '' || spec.startsWith('.') || spec.startsWith('/')) continue
    const parts = spec.split('/')
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec))
  }
  return names
}
