import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { DOC_PATH, withRenderedTable } from './doc'

it('docs/annotations.md shows the annotation table as the code has it', () => {
  const doc = readFileSync(DOC_PATH, 'utf8')
  expect(doc, 'out of date: run npx tsx controller/src/load-balancer/annotations/doc.ts').toBe(withRenderedTable(doc))
})
