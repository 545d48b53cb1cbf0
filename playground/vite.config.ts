import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The playground imports the library by its package name, resolved to the sources in ../src, so
 * it shows the code in this checkout (no build of the library first).
 */
export const libraryAliases = [
  { find: /^react-cognito-refresh$/, replacement: here('../src/index.ts') },
  { find: /^react-cognito-refresh\/core$/, replacement: here('../src/core/index.ts') },
  {
    find: /^react-cognito-refresh\/transports$/,
    replacement: here('../src/transports/index.ts'),
  },
  { find: /^react-cognito-refresh\/migration$/, replacement: here('../src/migration/index.ts') },
  { find: /^react-cognito-refresh\/query$/, replacement: here('../src/query/index.ts') },
  { find: /^react-cognito-refresh\/sign-in$/, replacement: here('../src/sign-in/index.ts') },
  {
    find: /^react-cognito-refresh\/sign-in\/react$/,
    replacement: here('../src/sign-in/react/index.ts'),
  },
  { find: /^react-cognito-refresh\/worker$/, replacement: here('../src/worker/index.ts') },
  {
    find: /^react-cognito-refresh\/sign-in\/srp$/,
    replacement: here('../src/sign-in/srp/index.ts'),
  },
]

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the build opens from any path, e.g. a static server in the smoke test.
  base: './',
  plugins: [react()],
  resolve: { alias: libraryAliases },
  // Its own cache, apart from other Vite users of the checkout; the known dependencies are
  // optimised up front so the first page load does not reload halfway.
  cacheDir: here('../node_modules/.vite-playground'),
  optimizeDeps: {
    include: [
      'react',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      'react-dom',
      'react-dom/client',
      '@tanstack/react-query',
      'jwt-decode',
      'otpauth',
    ],
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
})
