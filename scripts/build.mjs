// Builds the library: browser entries (one Vite library build), Node-only entries (a separate
// SSR build so they never share a chunk with browser code), then declarations with tsc.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { build } from 'vite'

// Packages only the Node entries use. They are bundled into those entries (and so are
// devDependencies), so a browser install pulls in only what the browser runs.
const nodeOnlyPackages = ['jose', 'aws-jwt-verify', 'otpauth', '@noble/hashes']
// (jose and aws-jwt-verify are also dependencies now, for the server entry; the emulator keeps its
// own copies bundled, so `dist/emulator.js` runs where no node_modules is installed. otpauth, for
// the emulator's TOTP, and its @noble/hashes are devDependencies, bundled only there.)
const thirdPartyLicenses = 'THIRD-PARTY-LICENSES.md'

const nodeEntries = Object.fromEntries(
  [
    ['emulator', 'src/emulator/index.ts'],
    ['emulator-cli', 'src/emulator/cli.ts'],
  ].filter(([, file]) => existsSync(file)),
)

// The published files are production code whatever the caller's NODE_ENV: a build started from a
// test run (NODE_ENV=test) once shipped React's development JSX (`jsxDEV`), which a Next.js
// production build cannot run.
process.env.NODE_ENV = 'production'

rmSync('dist', { recursive: true, force: true })
await build({ logLevel: 'warn' })
if (Object.keys(nodeEntries).length > 0) {
  await build({
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: nodeOnlyPackages, target: 'node' },
    build: {
      ssr: true,
      outDir: 'dist',
      emptyOutDir: false,
      target: 'node20',
      lib: { entry: nodeEntries, formats: ['es'] },
      rolldownOptions: {
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'node-chunks/[name]-[hash].js',
          banner: `/*! Bundles ${nodeOnlyPackages.join(', ')}: see ${thirdPartyLicenses}. */`,
        },
      },
    },
  })
  writeThirdPartyLicenses()
}
// Bundled code keeps no licence comments, and MIT and Apache-2.0 both ask that the licence travel
// with the code: ship each bundled package's licence next to the bundles.
function writeThirdPartyLicenses() {
  const sections = nodeOnlyPackages.map((name) => {
    const dir = join('node_modules', name)
    const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const file = readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\.|$)/i.test(entry))
    if (file === undefined) throw new Error(`${name} has no licence file to ship`)
    const text = readFileSync(join(dir, file), 'utf8').trim()
    return `## ${name}@${version} (${license})\n\n\`\`\`text\n${text}\n\`\`\`\n`
  })
  const intro = `# Third-party licences\n\nThe emulator bundles (\`emulator.js\`, \`emulator-cli.js\`) include these packages.\n`
  writeFileSync(join('dist', thirdPartyLicenses), [intro, ...sections].join('\n'))
}

// The refresh worker runs in a SharedWorker of its own: one self-contained file (no imports), so
// a bundler can emit it as it is and an app can self-host a copy (docs/guides/worker.md).
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    sourcemap: true,
    target: 'es2022',
    lib: { entry: { 'refresh-worker': 'src/worker/refresh-worker.ts' }, formats: ['es'] },
    rolldownOptions: { output: { entryFileNames: '[name].js', sourcemapExcludeSources: true } },
  },
})

execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })

// tsc keeps our extensionless relative imports in the .d.ts files; Node's ESM resolution (and so
// TypeScript's node16/nodenext users) needs full paths. Point each at its .js (or /index.js).
function fixDeclarationImports(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name)
    if (statSync(file).isDirectory()) fixDeclarationImports(file)
    else if (file.endsWith('.d.ts')) {
      const source = readFileSync(file, 'utf8')
      const fixed = source.replace(
        /(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g,
        (all, lead, quote, spec) => {
          if (/\.(js|mjs|cjs|json)$/.test(spec)) return all
          const target = resolve(dirname(file), spec)
          const withExt = existsSync(`${target}.d.ts`)
            ? `${spec}.js`
            : existsSync(join(target, 'index.d.ts'))
              ? `${spec}/index.js`
              : spec
          return `${lead}${quote}${withExt}${quote}`
        },
      )
      if (fixed !== source) writeFileSync(file, fixed)
    }
  }
}
fixDeclarationImports('dist')
