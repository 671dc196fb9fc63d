// The README's commands, run as written: the set-up commands name scripts that exist, and the
// CLI examples run from the repository root and answer as the README says.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(`${repo}/README.md`, 'utf8')
const scripts = (JSON.parse(readFileSync(`${repo}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts

/** Command lines of the ```sh blocks, comments stripped. */
const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean)

describe('README commands', () => {
  it('starts with the two set-up commands, both runnable', () => {
    const firstBlock = readme.slice(0, readme.indexOf('## '))
    expect(firstBlock).toContain('npm ci && npm start')
    expect(firstBlock).toContain('npm ci && npm test')
    for (const script of ['start', 'test', 'sandbox', 'build']) expect(scripts[script], `npm run ${script}`).toBeDefined()
    expect(commands.filter((c) => c.startsWith('npm ci'))).toEqual(['npm ci && npm start', 'npm ci && npm test'])
  })

  it('runs every `npx edge-ingress routes` example as written', async () => {
    const examples = commands.filter((c) => c.startsWith('npx edge-ingress routes'))
    expect(examples).toHaveLength(3)
    for (const command of examples) {
      const { stdout } = await promisify(execFile)('bash', ['-c', command], { cwd: repo, maxBuffer: 8 * 1024 * 1024 })
      if (command.includes(' check ')) expect(stdout).toMatch(/^0 error\(s\), \d+ warning\(s\); 5 route\(s\) on 3 host\(s\)$/m)
      if (command.includes(' explain ')) expect(JSON.parse(stdout)).toMatchObject({ status: 301, redirect: 'http://shop.example.com/docs' })
      if (command.includes(' compile ')) expect(JSON.parse(stdout)).toMatchObject({ schemaVersion: 1 })
    }
  }, 60_000)
})
