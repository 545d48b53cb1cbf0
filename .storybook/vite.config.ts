import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { libraryAliases } from '../playground/vite.config'

/** Stories import the library by its package name, resolved to ../src like the playground. */
export default defineConfig({
  plugins: [react()],
  resolve: { alias: libraryAliases },
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-storybook', import.meta.url)),
})
