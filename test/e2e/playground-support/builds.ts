/**
 * Builds Storybook and the playground for the smoke test, or reuses an output that is newer than
 * every file it is built from (so a second run, or CI after `npm run build-storybook`, is quick).
 */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const repoRoot = new URL('../../../', import.meta.url).pathname.replace(/\/$/, '')

/** The newest modification time under `paths`, skipping build outputs and node_modules. */
function newest(paths: readonly string[]): number {
  let latest = 0
  const visit = (path: string) => {
    if (!existsSync(path)) return
    const info = statSync(path)
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name === 'node_modules' || name === 'dist' || name === 'storybook-static') continue
        visit(join(path, name))
      }
    } else latest = Math.max(latest, info.mtimeMs)
  }
  paths.forEach((p) => visit(join(repoRoot, p)))
  return latest
}

export interface BuildTarget {
  /** `npm run <script>` builds it. */
  script: string
  /** A file the build writes last enough to date it. */
  marker: string
  /** The sources it is built from, relative to the repository root. */
  inputs: readonly string[]
}

export const storybookBuild: BuildTarget = {
  script: 'build-storybook',
  marker: 'storybook-static/index.json',
  inputs: ['stories', '.storybook', 'playground/src', 'src', 'package.json'],
}

export const playgroundBuild: BuildTarget = {
  script: 'build:playground',
  marker: 'playground/dist/index.html',
  inputs: [
    'playground/src',
    'playground/index.html',
    'playground/vite.config.ts',
    'src',
    'package.json',
  ],
}

/** Builds `target` unless its output is fresh; returns whether it built. */
export async function ensureBuilt(target: BuildTarget): Promise<boolean> {
  const marker = join(repoRoot, target.marker)
  if (existsSync(marker) && statSync(marker).mtimeMs > newest(target.inputs)) return false
  await run('npm', ['run', '--silent', target.script], {
    cwd: repoRoot,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
  })
  return true
}
