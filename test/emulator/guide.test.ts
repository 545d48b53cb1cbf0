/**
 * The testing guide's "Sign in from a test file" snippet is guideSignIn.test.ts, which runs: the
 * guide must show exactly that code (with the package's import paths), so the snippet cannot rot.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The code between `// #region <name>` and `// #endregion <name>`. */
function region(source: string, name: string): string {
  const start = source.indexOf(`// #region ${name}\n`)
  const end = source.indexOf(`// #endregion ${name}`)
  expect(start, `region ${name}`).toBeGreaterThanOrEqual(0)
  expect(end).toBeGreaterThan(start)
  return source.slice(start + `// #region ${name}\n`.length, end)
}

describe('the testing guide', () => {
  it('shows the sign-in snippet that guideSignIn.test.ts runs', () => {
    const code = region(read('./guideSignIn.test.ts'), 'guide-sign-in')
    const published = code
      .replace("from '../../src/core'", "from 'react-cognito-refresh/core'")
      .replace("from '../../src/emulator'", "from 'react-cognito-refresh/emulator'")
    // Both imports were rewritten: the snippet imports the package, not this repository.
    expect(published).not.toContain('../../src')
    const guide = read('../../docs/guides/testing-with-the-emulator.md')
    expect(guide).toContain(`\`\`\`ts\n${published}\`\`\``)
  })
})
