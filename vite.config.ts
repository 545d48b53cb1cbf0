import { builtinModules } from 'node:module'
import { defineConfig } from 'vite'

/**
 * Library build. Browser entries share chunks. Only the components and hooks carry
 * `'use client'`: they are one chunk of their own, so that errors, guards, the client, query keys
 * and query options imported from an entry stay plain functions in React Server Components
 * (test/package/serverSafe.test.ts). Node-only entries (the emulator) are built by
 * scripts/build.mjs with `ssr` so they never share a chunk with a browser entry.
 */
export const browserEntries = {
  index: 'src/index.ts',
  core: 'src/core/index.ts',
  transports: 'src/transports/index.ts',
  migration: 'src/migration/index.ts',
  'sign-in': 'src/sign-in/index.ts',
  'sign-in-react': 'src/sign-in/react/index.ts',
  'sign-in-srp': 'src/sign-in/srp/index.ts',
  server: 'src/server/index.ts',
  'server-admin': 'src/server/admin/index.ts',
  query: 'src/query/index.ts',
  'identity-js': 'src/identity-js/index.ts',
  worker: 'src/worker/index.ts',
}

/**
 * The modules that use React's client APIs: src/react but `shallowEqual`, and the query entry's
 * hooks (`use…`) and `AuthQueryBridge`. Everything else an entry exports is server-safe. Two
 * chunks, so that an app without TanStack Query (an optional peer) never imports it through the
 * provider's chunk: a bundler resolves every static import, used or not.
 */
export const clientModules = {
  react: /src[\\/]react[\\/](?!shallowEqual\.|index\.)[^\\/]+\.tsx?$/,
  query: /src[\\/]query[\\/](use[^\\/]+|AuthQueryBridge)\.tsx?$/,
  signIn: /src[\\/]sign-in[\\/]react[\\/](?!index\.)[^\\/]+\.tsx?$/,
}

/** `core-refresh` for src/core/refresh/x.ts, `query` for src/query/x.ts; entry files stay out. */
function wingOf(id: string): string | null {
  const path = /[\\/]src[\\/](.+)[\\/][^\\/]+$/.exec(id)?.[1]
  if (path === undefined || /[\\/]src[\\/](.+[\\/])?index\.ts$/.test(id)) return null
  return path.split(/[\\/]/).join('-')
}

const external = [
  /^react($|\/)/,
  /^react-dom($|\/)/,
  /^@tanstack\//,
  /^amazon-cognito-identity-js($|\/)/,
  /^@aws-sdk\//,
  'jwt-decode',
  'jose',
  'aws-jwt-verify',
  /^aws-jwt-verify\//,
  ...builtinModules,
  /^node:/,
]

/**
 * src/worker/index.ts writes `new URL(/* @vite-ignore *\/ './refresh-worker.js', import.meta.url)`
 * so that this build leaves the worker alone; the published file gets the plain form, which the
 * app's bundler (Vite, webpack 5) recognises and emits refresh-worker.js for.
 */
const workerUrl = {
  name: 'rcr-worker-url',
  renderChunk(code: string) {
    const plain = code.replace(
      /new URL\(\s*\/\* @vite-ignore \*\/\s*(["'])\.\/refresh-worker\.js\1/g,
      'new URL("./refresh-worker.js"',
    )
    return plain === code ? null : { code: plain, map: null }
  },
}

export default defineConfig({
  plugins: [workerUrl],
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
      // Needed by a group that leaves its modules' imports to other chunks; an entry may then
      // export a chunk's internals as well, under minified names (test/package checks the names).
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // The package ships src/ (the declaration maps point there too), so the maps point at
        // those files instead of carrying a second copy of every source in sourcesContent.
        sourcemapExcludeSources: true,
        // The client modules alone (not what they import) in two chunks, marked for RSC bundlers.
        codeSplitting: {
          groups: [
            { name: 'client', test: clientModules.react, priority: 2 },
            { name: 'query-client', test: clientModules.query, priority: 2 },
            { name: 'sign-in-client', test: clientModules.signIn, priority: 2 },
            // Every other module in a chunk named after its folder, so an entry file holds only its
            // own re-exports and exports only its public names.
            { name: wingOf, priority: 1 },
          ],
          includeDependenciesRecursively: false,
        },
        banner: (chunk) => (/^(query-|sign-in-)?client$/.test(chunk.name) ? "'use client';" : ''),
      },
    },
  },
})
