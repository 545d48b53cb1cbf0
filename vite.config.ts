import { builtinModules } from 'node:module'
import { defineConfig } from 'vite'

/**
 * Library build. Browser entries share chunks; the root entry carries `'use client'` because it
 * re-exports the React layer. Node-only entries (the emulator) are built by scripts/build.mjs with
 * `ssr` so they never share a chunk with a browser entry.
 */
export const browserEntries = {
  index: 'src/index.ts',
  core: 'src/core/index.ts',
  transports: 'src/transports/index.ts',
  migration: 'src/migration/index.ts',
  'sign-in': 'src/sign-in/index.ts',
  query: 'src/query/index.ts',
  'identity-js': 'src/identity-js/index.ts',
}

const external = [
  /^react($|\/)/,
  /^react-dom($|\/)/,
  /^@tanstack\//,
  /^amazon-cognito-identity-js($|\/)/,
  'jwt-decode',
  'jose',
  'aws-jwt-verify',
  /^aws-jwt-verify\//,
  ...builtinModules,
  /^node:/,
]

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    target: 'es2022',
    lib: {
      entry: browserEntries,
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // The package ships src/ (the declaration maps point there too), so the maps point at
        // those files instead of carrying a second copy of every source in sourcesContent.
        sourcemapExcludeSources: true,
        // The query entry holds hooks too: React Server Components need the directive there as well.
        banner: (chunk) =>
          chunk.isEntry && (chunk.name === 'index' || chunk.name === 'query')
            ? "'use client';"
            : '',
      },
    },
  },
})
