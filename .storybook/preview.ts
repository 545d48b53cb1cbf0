import type { Preview } from '@storybook/react-vite'
import '../playground/src/styles.css'

const preview: Preview = {
  parameters: {
    layout: 'padded',
    backgrounds: { options: { page: { name: 'Page', value: '#f5f6fa' } } },
    controls: { disable: true },
  },
  initialGlobals: { backgrounds: { value: 'page' } },
}

export default preview
