// docs/cli.md is the CLI reference: it must name every command and every option of the
// program, so that an option added to program.ts without a word in the docs fails here.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { commandsOf } from './doc'
import { buildProgram } from './program'

const page = readFileSync(fileURLToPath(new URL('../../../docs/cli.md', import.meta.url)), 'utf8')

describe('docs/cli.md', () => {
  for (const { name, command } of commandsOf(buildProgram())) {
    it(`documents ${name} and each of its options`, () => {
      expect(page).toContain(`## \`${name}\``)
      for (const option of command.options) expect(page, option.flags).toContain(option.long!)
    })
  }
})
