import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/react-vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: {
    // Not the root vite.config.ts: that one builds the library.
    builder: {
      name: '@storybook/builder-vite',
      options: { viteConfigPath: here('./vite.config.ts') },
    },
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  typescript: { reactDocgen: false },
}

export default config
