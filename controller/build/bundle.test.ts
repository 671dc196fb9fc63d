// The image's program is the bundle: it must run with plain node (no node_modules, no tsx)
// and answer exactly as the CLI run from the sources does.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleController } from './bundle'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'edge-ingress-bundle-'))
const bundle = join(dir, 'controller.mjs')
// Run from an empty directory: nothing may be resolved from the repository's node_modules.
const node = (args: string[]) => run(process.execPath, [bundle, ...args], { cwd: dir, maxBuffer: 8 * 1024 * 1024 })

beforeAll(async () => {
  await bundleController(bundle)
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the bundled controller (dist/controller.mjs)', () => {
  it('prints its commands with plain node', async () => {
    const { stdout } = await node(['--help'])
    for (const command of ['routes', 'serve', 'controller']) expect(stdout).toContain(command)
  })

  it('compiles the examples to the same table as the CLI from the sources', async () => {
    const examples = join(repo, 'infra/examples')
    const [bundled, sources] = await Promise.all([
      node(['routes', 'compile', examples]),
      run(process.execPath, [join(repo, 'controller/bin/edge-ingress.js'), 'routes', 'compile', examples], { cwd: repo, maxBuffer: 8 * 1024 * 1024 }),
    ])
    const table = JSON.parse(bundled.stdout) as { revision: string; hosts: { hostname: string }[] }
    expect(table.hosts.map((h) => h.hostname)).toContain('shop.example.com')
    expect(table.revision).toBe((JSON.parse(sources.stdout) as { revision: string }).revision)
  })

  it('refuses a controller start without a cluster name, with the reason', async () => {
    const failure = await node(['controller', '--region', 'eu-west-1']).then(() => null, (e: { code: number; stderr: string }) => e)
    expect(failure?.code).toBe(2)
    expect(failure?.stderr).toContain('--cluster-name is required')
  })
})
