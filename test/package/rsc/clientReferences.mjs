// A Node module hook that treats a `'use client'` module as a React Server Components bundler
// does: on the server, its exports are client references. Calling one throws, as React's server
// does ("Attempted to call X() from the server"); rendering one is fine (not done here).
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context)
  if (result.format !== 'module' || !url.includes('/dist/') || url.includes('/node_modules/')) {
    return result
  }
  const source = String(result.source)
  if (!/^\s*['"]use client['"]/.test(source)) return result
  const list = /export\s*\{([^}]*)\};?\s*(\/\/# sourceMappingURL=.*)?\s*$/.exec(source)?.[1] ?? ''
  const names = list
    .split(',')
    .map((part) =>
      part
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    )
    .filter((name) => name !== undefined && name !== '')
  const body = names
    .map(
      (name) =>
        `const ${name} = () => { throw new Error('Attempted to call ${name}() from the server') }\n` +
        `${name}.$$typeof = Symbol.for('react.client.reference')`,
    )
    .join('\n')
  return {
    format: 'module',
    shortCircuit: true,
    source: `${body}\nexport { ${names.join(', ')} }\n`,
  }
}
