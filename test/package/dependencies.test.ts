/**
 * A browser install pulls in only what the browser runs: every runtime dependency is imported by
 * a browser entry, and the Node entries (the emulator) import only Node built-ins and runtime
 * dependencies; whatever else they use is bundled in.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { bareImports, ensureLibraryBuilt, filesUnder, packageJson, repoRoot } from './support'

const run = promisify(execFile)
const isNodeFile = (file: string) =>
  /^dist\/emulator[^/]*\.js$/.test(file) || file.startsWith('dist/node-chunks/')

function importsOf(files: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const file of files) {
    for (const name of bareImports(readFileSync(join(repoRoot, file), 'utf8'))) {
      found.set(name, [...(found.get(name) ?? []), file])
    }
  }
  return found
}

/** A built file and every chunk it imports, directly or through other chunks. */
function reachableFrom(file: string): string[] {
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    const code = readFileSync(join(repoRoot, path), 'utf8')
    for (const match of code.matchAll(
      /\b(?:import|export)\s[^'"`;]*?\sfrom\s*(['"])(\.[^'"]+)\1/g,
    )) {
      visit(join(dirname(path), match[2] ?? ''))
    }
  }
  visit(file)
  return [...seen]
}

describe('runtime dependencies', () => {
  let browser: Map<string, string[]>
  let node: Map<string, string[]>
  const dependencies = Object.keys(packageJson.dependencies ?? {})
  const peers = Object.keys(packageJson.peerDependencies ?? {})

  beforeAll(async () => {
    await ensureLibraryBuilt()
    const js = filesUnder('dist').filter((file) => file.endsWith('.js'))
    browser = importsOf(js.filter((file) => !isNodeFile(file)))
    node = importsOf(js.filter(isNodeFile))
  }, 300_000)

  it('are each imported by a browser entry (Node-only packages are bundled, not dependencies)', () => {
    expect(dependencies.filter((name) => !browser.has(name))).toEqual([])
  })

  it('cover every package a browser entry imports, with no Node built-in among them', () => {
    const undeclared = [...browser.keys()].filter(
      (name) => !dependencies.includes(name) && !peers.includes(name),
    )
    expect(undeclared.map((name) => `${name} (${browser.get(name)?.join(', ')})`)).toEqual([])
  })

  it('leave React and the other peers out of the framework-free entries', () => {
    const exported = Object.keys(packageJson.exports ?? {})
    for (const entry of [
      './core',
      './transports',
      './migration',
      './sign-in',
      './server',
      './worker',
    ]) {
      expect(exported, entry).toContain(entry)
      const file = `dist/${entry.slice(2).replace('/', '-')}.js`
      const reached = reachableFrom(file)
      expect(reached.length, file).toBeGreaterThan(1)
      const packages = [...importsOf(reached).keys()]
      expect(
        packages.filter((name) => !dependencies.includes(name)),
        file,
      ).toEqual([])
    }
  })

  it('let the root entry reach React and jwt-decode only (an app without TanStack Query builds), and no browser entry the server libraries', () => {
    // A bundler resolves every static import of every chunk it reaches, used or not: a chunk of
    // the root that imports @tanstack/react-query breaks the build of an app that lacks it.
    const reached = reachableFrom('dist/index.js')
    expect(reached.length).toBeGreaterThan(1)
    const packages = [...importsOf(reached).keys()]
    // jwt-decode only: the server's jose and aws-jwt-verify are dependencies, not browser code.
    expect(packages.filter((name) => name !== 'react' && name !== 'jwt-decode')).toEqual([])
    for (const entry of ['core', 'transports', 'sign-in', 'query', 'migration', 'worker']) {
      const names = [...importsOf(reachableFrom(`dist/${entry}.js`)).keys()]
      expect(
        names.filter((name) => name === 'jose' || name.startsWith('aws-jwt-verify')),
        entry,
      ).toEqual([])
    }
  })

  it('cover every package the emulator bundles import, built-ins aside', () => {
    expect(node.size).toBeGreaterThan(0)
    const undeclared = [...node.keys()].filter(
      (name) => !isBuiltin(name) && !dependencies.includes(name),
    )
    expect(undeclared.map((name) => `${name} (${node.get(name)?.join(', ')})`)).toEqual([])
  })

  it('ship the licence of every package bundled into the emulator', () => {
    // What src/emulator imports at run time (type-only imports are erased by the build).
    const used = new Set<string>()
    for (const file of filesUnder('src/emulator').filter((path) => path.endsWith('.ts'))) {
      const code = readFileSync(join(repoRoot, file), 'utf8').replace(
        /\bimport\s+type\s[^;]*?\sfrom\s*(['"])[^'"]+\1/g,
        '',
      )
      for (const name of bareImports(code)) used.add(name)
    }
    // Every package the emulator imports is bundled into it (though the server entry also takes
    // both as dependencies): scripts/build.mjs's nodeOnlyPackages.
    const bundled = [...used].filter((name) => !isBuiltin(name))
    expect(bundled).toEqual(expect.arrayContaining(['jose', 'aws-jwt-verify']))
    const notices = readFileSync(join(repoRoot, 'dist/THIRD-PARTY-LICENSES.md'), 'utf8')
    for (const name of bundled) {
      const { license } = JSON.parse(
        readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { license: string }
      expect(notices).toMatch(new RegExp(`^## ${name}@\\S+ \\(${license}\\)$`, 'm'))
    }
  })

  it('leave the built emulator working where no node_modules is installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rcr-emulator-'))
    try {
      cpSync(join(repoRoot, 'dist'), join(dir, 'dist'), { recursive: true })
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
      // Signs in (jose signs), then calls the demo API (aws-jwt-verify checks the token against
      // the JWKS): both bundled libraries run.
      const script = `
        import { startEmulator } from './dist/emulator.js'
        const emu = await startEmulator({ port: 0, host: '127.0.0.1' })
        try {
          const session = await emu.signIn()
          const api = await fetch(emu.demoApiUrl, { headers: { authorization: 'Bearer ' + session.AccessToken } })
          const jwks = await (await fetch(emu.jwksUri)).json()
          console.log(JSON.stringify({ api: api.status, keys: jwks.keys.length }))
        } finally {
          await emu.stop()
        }`
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        timeout: 30_000,
      })
      expect(JSON.parse(stdout.trim())).toEqual({ api: 200, keys: expect.any(Number) })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
