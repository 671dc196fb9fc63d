// Renders the annotation table for docs/annotations.md. The doc test fails when the file
// is out of date; `npx tsx controller/src/load-balancer/annotations/doc.ts` rewrites it.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { annotationTable } from './table'

export const DOC_PATH = fileURLToPath(new URL('../../../../docs/annotations.md', import.meta.url))
export const BEGIN = '<!-- annotations:begin (generated from controller/src/load-balancer/annotations/table.ts) -->'
export const END = '<!-- annotations:end -->'

export function renderAnnotationTable(): string {
  const lines = ['| Annotation | Accepts | Default | What it does |', '| --- | --- | --- | --- |']
  for (const row of annotationTable) {
    const keys = row.sources.map((s) => `\`${s.key}\``).join('<br>')
    const immutable = row.immutable ? ' Fixed once the balancer exists: a change is refused with an Event.' : ''
    lines.push(`| ${keys} | ${row.accepts} | ${row.defaultText} | ${row.description}${immutable} |`)
  }
  return lines.join('\n')
}

export function withRenderedTable(doc: string): string {
  const start = doc.indexOf(BEGIN)
  const end = doc.indexOf(END)
  if (start < 0 || end < start) throw new Error(`${DOC_PATH} lacks the ${BEGIN} ... ${END} markers`)
  return `${doc.slice(0, start + BEGIN.length)}\n${renderAnnotationTable()}\n${doc.slice(end)}`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(DOC_PATH, withRenderedTable(readFileSync(DOC_PATH, 'utf8')))
}
