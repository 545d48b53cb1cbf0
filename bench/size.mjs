// Bundle size of our entries, built the way the peers were measured (see the reference
// peer-bundle-sizes.md): esbuild, minified ESM for the browser, React external, NODE_ENV=production.
// Prints minified, gzip -9 and brotli-11 bytes. `--json` prints the figures as JSON.
import { existsSync, readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const entriesDir = join(here, 'entries')
export const goalGzipBytes = 3 * 1024

export async function measure(file) {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    write: false,
    external: [
      'react',
      'react-dom',
      'react/jsx-runtime',
      '@tanstack/react-query',
      '@tanstack/query-core',
    ],
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  })
  const code = result.outputFiles[0].contents
  return {
    entry: basename(file).replace(/\.(t|j)sx?$/, ''),
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }).length,
  }
}

export async function measureOurs() {
  const files = readdirSync(entriesDir)
    .filter((f) => /\.(t|j)sx?$/.test(f))
    .sort()
    .map((f) => join(entriesDir, f))
  return Promise.all(files.filter(existsSync).map(measure))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureOurs()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2))
  } else {
    console.log('entry                          min B   gzip B  brotli B  (goal: gzip <= 3072 B)')
    for (const r of rows) {
      const flag = r.gzip <= goalGzipBytes ? 'ok' : 'OVER GOAL'
      console.log(
        `${r.entry.padEnd(28)} ${String(r.min).padStart(7)} ${String(r.gzip).padStart(8)} ${String(r.brotli).padStart(9)}  ${flag}`,
      )
    }
  }
}
