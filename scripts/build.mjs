// Builds the library: browser entries (one Vite library build), Node-only entries (a separate
// SSR build so they never share a chunk with browser code), then declarations with tsc.
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { build } from 'vite'

const nodeEntries = Object.fromEntries(
  [
    ['emulator', 'src/emulator/index.ts'],
    ['emulator-cli', 'src/emulator/cli.ts'],
  ].filter(([, file]) => existsSync(file)),
)

rmSync('dist', { recursive: true, force: true })
await build({ logLevel: 'warn' })
if (Object.keys(nodeEntries).length > 0) {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: 'dist',
      emptyOutDir: false,
      target: 'node20',
      lib: { entry: nodeEntries, formats: ['es'] },
      rolldownOptions: {
        output: { entryFileNames: '[name].js', chunkFileNames: 'node-chunks/[name]-[hash].js' },
      },
    },
  })
}
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
