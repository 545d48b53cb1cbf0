import { describe, expect, it } from 'vitest'
import * as core from '../../src/core/index'
import * as root from '../../src/index'
import * as react from '../../src/react/index'

describe('the package root', () => {
  it('re-exports every runtime export of the core and of the React layer, and nothing else', () => {
    const expected = new Set([...Object.keys(core), ...Object.keys(react)])
    expect(Object.keys(root).sort()).toEqual([...expected].sort())
    for (const name of expected) {
      expect(root[name as keyof typeof root], name).toBe(
        (core as Record<string, unknown>)[name] ?? (react as Record<string, unknown>)[name],
      )
    }
  })
})
