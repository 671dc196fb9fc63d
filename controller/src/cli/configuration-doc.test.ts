// docs/configuration.md cannot drift from the code: its generated sections equal what the code
// renders now, and every environment variable the product reads and every edge-ingress.io/
// name it uses is on the page.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { annotationTable } from '../load-balancer/annotations/table'
import { CONFIGURATION_DOC, commandsOf, withGeneratedSections } from './doc'
import { buildProgram } from './program'

const repo = fileURLToPath(new URL('../../..', import.meta.url))
const doc = readFileSync(CONFIGURATION_DOC, 'utf8')

/** Product sources: no tests, test helpers or test data. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'testdata' ? [] : sources(path)
    return /\.ts$/.test(name) && !/\.test(-helper)?\.ts$/.test(name) ? [path] : []
  })
}
const code = ['controller/src', 'edge/src', 'cdk/lib', 'cdk/bin'].flatMap((dir) => sources(join(repo, dir)))
  .map((file) => ({ file: relative(repo, file), text: readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1') }))

function found(pattern: RegExp): Map<string, string> {
  const names = new Map<string, string>()
  for (const { file, text } of code) for (const m of text.matchAll(pattern)) names.set(m[1]!, file)
  return names
}

describe('docs/configuration.md', () => {
  it('has the generated sections as the code renders them (npx tsx controller/src/cli/doc.ts rewrites them)', () => {
    expect(doc).toBe(withGeneratedSections(doc))
  })

  it('documents every command and option of the program', () => {
    for (const { name, command } of commandsOf(buildProgram())) {
      expect(doc).toContain(`edge-ingress ${name}`)
      for (const option of command.options) expect(doc, `edge-ingress ${name}`).toContain(`\`${option.flags}\``)
    }
    expect(commandsOf(buildProgram()).map((c) => c.name)).toEqual(expect.arrayContaining(['routes compile', 'serve', 'local', 'controller']))
  })

  it('documents every annotation key', () => {
    for (const row of annotationTable) for (const source of row.sources) expect(doc).toContain(`\`${source.key}\``)
  })

  it('mentions every environment variable the product reads', () => {
    const variables = found(/process\.env(?:\.|\[['"])([A-Z][A-Z0-9_]+)/g)
    for (const [name, file] of found(/\benv\.([A-Z][A-Z0-9_]{2,})\b/g)) variables.set(name, file)
    expect(variables.size).toBeGreaterThan(10)
    for (const [name, file] of variables) expect(doc, `${name} (read in ${file}): add it to docs/configuration.md`).toContain(`\`${name}\``)
  })

  it('mentions every edge-ingress.io/ name the code uses', () => {
    const names = found(/['"`](edge-ingress\.io\/[a-z0-9][a-z0-9.-]*)/g)
    expect(names.size).toBeGreaterThan(10)
    for (const [name, file] of names) expect(doc, `${name} (used in ${file}): add it to docs/configuration.md`).toContain(name)
  })
})
