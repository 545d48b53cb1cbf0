import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const framework = {
  group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@tanstack/*'],
  message: 'src/core is framework-free.',
}
const wing = (from, names) => ({
  group: names.map((name) => `${from}${name}/*`),
  message: 'This wing may not import that one (docs/architecture.md).',
})
function coreWalls() {
  const rule = (files, patterns) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [framework, ...patterns] }] },
  })
  const all = ['client', 'refresh', 'tabs', 'platform', 'transports', 'fetch']
  const except = (...allowed) => all.filter((name) => !allowed.includes(name))
  return [
    rule(['src/core/**'], []),
    rule(['src/core/*.ts'], [wing('./', all)]),
    rule(['src/core/index.ts'], []),
    rule(['src/core/platform/**'], [wing('../', all)]),
    rule(['src/core/transports/**'], [wing('../', except('transports', 'platform'))]),
    rule(['src/core/tabs/**'], [wing('../', except('tabs', 'platform'))]),
    rule(
      ['src/core/refresh/**'],
      [wing('../', except('refresh', 'tabs', 'platform', 'transports'))],
    ),
    rule(['src/core/client/**'], [wing('../', ['fetch'])]),
    rule(['src/core/fetch/**'], [wing('../', except('fetch', 'client'))]),
  ]
}

export default tseslint.config(
  {
    ignores: [
      'dist',
      'coverage',
      'test-output',
      'storybook-static',
      'playground/dist',
      'bench/node_modules',
      'bench/dist',
      'node_modules',
      'test/next-app/.next',
      'test/next-app/.next-webpack',
      'test/next-app/node_modules',
      'examples/nextjs/.next',
      'examples/nextjs/node_modules',
      'test/vite-app/dist',
      'test/vite-app/node_modules',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        globalThis: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The example is an app's code: Web and Node globals of a Next.js server and its pages.
    files: ['examples/**'],
    languageOptions: {
      globals: { Response: 'readonly', Headers: 'readonly', window: 'readonly', fetch: 'readonly' },
    },
  },
  {
    // The bundler fixtures' pages (test/vite-app, test/next-app): browser code.
    files: ['test/vite-app/**', 'test/next-app/app/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
  {
    files: [
      '**/*.tsx',
      'examples/**/*.jsx',
      'src/react/**',
      'src/query/**',
      'test/react/**',
      'test/query/**',
    ],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // The core is framework-free, and its wings import one way only (docs/architecture.md):
  // platform and the shared vocabulary import no wing; transports and tabs import the vocabulary
  // and platform (the injected seams, such as the clock); refresh imports tabs; the client
  // assembles them; fetch uses the client.
  ...coreWalls(),
  // Every timer and every reading of the time goes through the injected clock (docs/architecture.md).
  {
    files: ['src/**'],
    ignores: ['src/emulator/**', 'src/core/platform/clock.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => ({
          name,
          message: 'Use the injected clock (environment.clock).',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the injected clock (environment.clock).' },
        ...['setTimeout', 'setInterval'].map((property) => ({
          object: 'globalThis',
          property,
          message: 'Use the injected clock (environment.clock).',
        })),
      ],
    },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**', 'src/emulator/**', 'playground/**'],
    rules: { 'no-console': 'off' },
  },
)
