/**
 * The reference pages cannot fall behind the code: every `createAuthClient` option, every event
 * and every sign-out reason (read from the source with the TypeScript compiler) has its entry, and
 * every entry names something real, or is marked as documented ahead of the code.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './support'

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8')
const pending = '<!-- pending'

function declarations(path: string): ts.SourceFile {
  return ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true)
}

function interfaceKeys(path: string, name: string): string[] {
  const found = declarations(path).statements.find(
    (node): node is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(node) && node.name.text === name,
  )
  if (found === undefined) throw new Error(`${name} is not declared in ${path}`)
  return found.members.flatMap((member) =>
    member.name !== undefined && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))
      ? [member.name.text]
      : [],
  )
}

function unionLiterals(path: string, name: string): string[] {
  const found = declarations(path).statements.find(
    (node): node is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(node) && node.name.text === name,
  )
  if (found === undefined) throw new Error(`${name} is not declared in ${path}`)
  const members = ts.isUnionTypeNode(found.type) ? found.type.types : [found.type]
  return members.flatMap((type) =>
    ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal) ? [type.literal.text] : [],
  )
}

/** `### \`name\`` headings, each with whether the line before it marks it as pending. */
function entries(page: string): { name: string; pending: boolean }[] {
  const lines = page.split('\n')
  return lines.flatMap((line, index) => {
    const match = /^### `([^`]+)`$/.exec(line)
    if (match === null) return []
    const before = lines.slice(0, index).filter((text) => text.trim() !== '')
    return [{ name: match[1] ?? '', pending: before.at(-1)?.startsWith(pending) === true }]
  })
}

/** The names an entry's index.ts exports, values and types apart (explicit lists, no `export *`). */
function entryExports(path: string): { values: string[]; types: string[] } {
  const values: string[] = []
  const types: string[] = []
  for (const node of declarations(path).statements) {
    // A function the entry file defines itself (the worker entry's `refreshWorker`).
    const exported = ts.canHaveModifiers(node)
      ? ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false
    if (exported && ts.isFunctionDeclaration(node) && node.name !== undefined) {
      values.push(node.name.text)
      continue
    }
    if (!ts.isExportDeclaration(node)) continue
    if (node.exportClause === undefined || !ts.isNamedExports(node.exportClause)) {
      throw new Error(`${path}: \`export *\` hides the surface from this test`)
    }
    for (const element of node.exportClause.elements) {
      ;(node.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text)
    }
  }
  return { values, types }
}

/** The entries with a reference page that documents every export, one section per value. */
const entryPages = [
  { entry: 'src/core/index.ts', page: 'core.md', least: 10 },
  { entry: 'src/transports/index.ts', page: 'transports.md', least: 5 },
  { entry: 'src/migration/index.ts', page: 'migration.md', least: 4 },
  { entry: 'src/sign-in/index.ts', page: 'sign-in.md', least: 1 },
  { entry: 'src/sign-in/react/index.ts', page: 'sign-in-react.md', least: 1 },
  { entry: 'src/sign-in/srp/index.ts', page: 'sign-in-srp.md', least: 1 },
  { entry: 'src/server/index.ts', page: 'server.md', least: 1 },
  { entry: 'src/server/admin/index.ts', page: 'server-admin.md', least: 1 },
  { entry: 'src/worker/index.ts', page: 'worker.md', least: 2 },
]

const options = interfaceKeys('src/core/client/options.ts', 'AuthClientOptions')
const seams = interfaceKeys('src/core/client/options.ts', 'Environment')
const events = interfaceKeys('src/core/events.ts', 'AuthEvents')
const reasons = unionLiterals('src/core/events.ts', 'SignOutReason')
const optionsPage = read('docs/reference/createAuthClient.md')
const eventsPage = read('docs/reference/events.md')

describe('docs/reference', () => {
  it('reads the option, event and reason names from the source', () => {
    expect(options).toEqual(expect.arrayContaining(['clientId', 'transport', 'revokeOnSignOut']))
    expect(events).toEqual(expect.arrayContaining(['signedIn', 'signedOut', 'refreshFailed']))
    expect(reasons).toEqual(expect.arrayContaining(['signOut', 'rejected', 'reuse']))
  })

  it('createAuthClient.md has an entry and a table row for every option', () => {
    const documented = entries(optionsPage).map((entry) => entry.name)
    expect(options.filter((name) => !documented.includes(name))).toEqual([])
    const rows = options.filter(
      (name) => !optionsPage.includes(`| [\`${name}\`](#${name.toLowerCase()})`),
    )
    expect(rows).toEqual([])
    const seamEntries = seams.filter((name) => !documented.includes(`environment.${name}`))
    expect(seams.length).toBeGreaterThanOrEqual(5)
    expect(seamEntries).toEqual([])
  })

  it('events.md has an entry for every event and names every sign-out reason', () => {
    const documented = entries(eventsPage).map((entry) => entry.name)
    expect(events.filter((name) => !documented.includes(name))).toEqual([])
    expect(reasons.filter((reason) => !eventsPage.includes(`| \`'${reason}'\``))).toEqual([])
  })

  it('documents nothing that does not exist, unless marked as ahead of the code', () => {
    const stale = [
      ...entries(optionsPage).filter(
        (entry) =>
          !options.includes(entry.name) &&
          !seams.map((name) => `environment.${name}`).includes(entry.name) &&
          !entry.pending,
      ),
      ...entries(eventsPage).filter((entry) => !events.includes(entry.name) && !entry.pending),
    ]
    expect(stale.map((entry) => entry.name)).toEqual([])
  })

  for (const { entry, page, least } of entryPages) {
    it(`${page} has a section for every value ${entry} exports, names its types, and no more`, () => {
      const text = read(`docs/reference/${page}`)
      const { values, types } = entryExports(entry)
      // The parser found the entry's values (an empty list would pass everything below).
      expect(values.length).toBeGreaterThanOrEqual(least)
      const documented = entries(text).map((section) => section.name)
      expect(values.filter((name) => !documented.includes(name))).toEqual([])
      expect(documented.filter((name) => !values.includes(name))).toEqual([])
      expect(types.filter((name) => !text.includes(`\`${name}\``))).toEqual([])
      expect(read('docs/reference/README.md')).toContain(`](${page})`)
    })
  }

  it('are linked from the README and the reference index', () => {
    for (const page of ['createAuthClient.md', 'events.md']) {
      // An absolute link (inline or a reference definition): the README is read on npm too.
      expect(read('README.md')).toMatch(
        new RegExp(`[(: ]https://\\S+/blob/main/docs/reference/${page}(\\)|\\n)`),
      )
      expect(read('docs/reference/README.md')).toContain(`](${page})`)
    }
  })
})
