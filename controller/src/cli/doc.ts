// Renders the generated parts of docs/configuration.md from the code: every command's options
// (walking the commander program), the Service annotation table and the CDK context keys.
// configuration-doc.test.ts fails when the file is out of date;
// `npx tsx controller/src/cli/doc.ts` rewrites it.
import type { Command } from 'commander'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CONTEXT_KEYS } from '../../../cdk/lib/config'
import { renderAnnotationTable } from '../load-balancer/annotations/doc'
import { buildProgram } from './program'

export const CONFIGURATION_DOC = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url))

/** Table cell text: pipes escaped, and <placeholders> kept visible (not taken for HTML). */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Every runnable command, depth first, with its full name (`routes compile`). */
export function commandsOf(program: Command, prefix = ''): { name: string; command: Command }[] {
  return program.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`
    return c.commands.length > 0 ? commandsOf(c, `${name} `) : [{ name, command: c }]
  })
}

export function renderCommands(program: Command = buildProgram()): string {
  const out: string[] = []
  for (const { name, command } of commandsOf(program)) {
    const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ')
    out.push(`### \`edge-ingress ${name}${args ? ` ${args}` : ''}\``, '', command.description(), '')
    out.push('| Option | Default | What it does |', '| --- | --- | --- |')
    for (const o of command.options) {
      const none = o.defaultValue === undefined || o.defaultValue === false || (o.negate && o.defaultValue === true) || (Array.isArray(o.defaultValue) && o.defaultValue.length === 0)
      const shown = none ? '' : `\`${String(o.defaultValue)}\``
      const choices = o.argChoices ? `; one of ${o.argChoices.map((c) => `\`${c}\``).join(', ')}` : ''
      out.push(`| \`${o.flags}\` | ${shown} | ${cell(o.description)}${choices} |`)
    }
    out.push('')
  }
  return out.join('\n').trimEnd()
}

export function renderContextKeys(): string {
  const lines = ['| Context key (`-c key=value`) | Meaning |', '| --- | --- |']
  for (const [key, text] of Object.entries(CONTEXT_KEYS)) lines.push(`| \`${key}\` | ${cell(text)} |`)
  return lines.join('\n')
}

const sections: Record<string, () => string> = {
  commands: () => renderCommands(),
  annotations: renderAnnotationTable,
  'cdk-context': renderContextKeys,
}

/** The document with every generated section replaced by what the code has now. */
export function withGeneratedSections(doc: string): string {
  let result = doc
  for (const [name, render] of Object.entries(sections)) {
    const begin = `<!-- generated:${name} -->`
    const end = `<!-- /generated:${name} -->`
    const start = result.indexOf(begin)
    const stop = result.indexOf(end)
    if (start < 0 || stop < start) throw new Error(`${CONFIGURATION_DOC} lacks the ${begin} ... ${end} markers`)
    result = `${result.slice(0, start + begin.length)}\n${render()}\n${result.slice(stop)}`
  }
  return result
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONFIGURATION_DOC, withGeneratedSections(readFileSync(CONFIGURATION_DOC, 'utf8')))
}
