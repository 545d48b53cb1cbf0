import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// React 18 lives in a linked local package (test/react18) so that its react-dom resolves its react.
const react18 = (name: string) =>
  fileURLToPath(new URL(`./test/react18/node_modules/${name}`, import.meta.url))
const reactTests = ['test/react/**/*.test.{ts,tsx}', 'test/query/**/*.test.{ts,tsx}']
// The playground's components import the library by its package name: the sources, as in its Vite config.
const libraryAliases = [
  {
    find: /^react-cognito-refresh$/,
    replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
  },
  {
    find: /^react-cognito-refresh\/core$/,
    replacement: fileURLToPath(new URL('./src/core/index.ts', import.meta.url)),
  },
  ...['query', 'sign-in/react', 'sign-in/srp', 'sign-in', 'transports', 'migration', 'worker'].map(
    (entry) => ({
      find: new RegExp(`^react-cognito-refresh/${entry}$`),
      replacement: fileURLToPath(new URL(`./src/${entry}/index.ts`, import.meta.url)),
    }),
  ),
]

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/react/**', 'test/query/**'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias: libraryAliases },
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: reactTests,
          env: { EXPECTED_REACT_MAJOR: '19' },
          testTimeout: 20_000,
        },
      },
      {
        // The same React tests on React 18. The libraries that import react are inlined so the
        // aliases reach their imports too.
        resolve: {
          alias: [
            ...libraryAliases,
            { find: /^react$/, replacement: react18('react') },
            { find: /^react\/(.*)$/, replacement: `${react18('react')}/$1` },
            { find: /^react-dom$/, replacement: react18('react-dom') },
            { find: /^react-dom\/(.*)$/, replacement: `${react18('react-dom')}/$1` },
            // Its CommonJS main would `require('react-dom')` past the aliases: take the ES build.
            {
              find: /^@testing-library\/react$/,
              replacement: fileURLToPath(
                new URL(
                  './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
                  import.meta.url,
                ),
              ),
            },
          ],
        },
        test: {
          name: 'react18',
          environment: 'jsdom',
          include: reactTests,
          // <Activity> is React 19.2+.
          // Storybook (and its composeStories) renders with the repository's React 19.
          exclude: ['test/react/activity.test.tsx', 'test/react/stories.test.tsx'],
          env: { EXPECTED_REACT_MAJOR: '18' },
          server: { deps: { inline: ['@testing-library/react', '@tanstack/react-query'] } },
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
