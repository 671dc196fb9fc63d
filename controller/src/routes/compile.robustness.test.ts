// Bad input never throws: random values, and valid manifests with one field replaced by a random
// JSON value, compile to a table the edge accepts plus diagnostics.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRouteTable } from '../../../edge/src/route-table/parse'
import { parseManifestText } from '../manifests/parse'
import { compileRoutes } from './compile'
import { withInstalledClasses } from './installed-classes'

const dir = join(import.meta.dirname, 'testdata')
const valid = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseManifestText(readFileSync(join(dir, f), 'utf8'), f).objects.map((o) => o.object))

/** Every path to a value inside `value`, objects and arrays included. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  return out
}

function replaced(object: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const copy = structuredClone(object) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path.at(-1)!] = replacement
  return copy
}

async function compilesSafely(objects: unknown[]): Promise<void> {
  const result = await compileRoutes(withInstalledClasses(objects), { clusterName: 'fuzz' })
  const parsed = parseRouteTable(JSON.parse(JSON.stringify(result.table)))
  expect(parsed.ok ? null : parsed.error).toBeNull()
}

describe('compileRoutes on bad input', () => {
  it('takes arbitrary values without throwing', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.anything(), { maxLength: 5 }), compilesSafely), { numRuns: 200 })
  })

  it('takes our kinds with arbitrary specs without throwing', async () => {
    const kind = fc.constantFrom(
      ['networking.k8s.io/v1', 'Ingress'],
      ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
      ['gateway.networking.k8s.io/v1', 'Gateway'],
      ['gateway.networking.k8s.io/v1', 'GatewayClass'],
      ['v1', 'Service'],
    )
    const object = fc.record({ kind, metadata: fc.anything(), spec: fc.anything(), status: fc.anything() }).map(({ kind: [apiVersion, k], ...rest }) => ({ apiVersion, kind: k, ...rest }))
    await fc.assert(fc.asyncProperty(fc.array(object, { maxLength: 5 }), compilesSafely), { numRuns: 200 })
  })

  it('takes valid manifests with any one field replaced by a random value without throwing', async () => {
    const mutation = fc.record({ target: fc.nat(valid.length - 1), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) })
    await fc.assert(
      fc.asyncProperty(mutation, async ({ target, pick, value }) => {
        const original = valid[target]!
        const all = paths(original)
        const objects = valid.map((o, i) => (i === target ? replaced(original, all[pick % all.length]!, value) : o))
        await compilesSafely(objects)
      }),
      { numRuns: 150 },
    )
  })
})
