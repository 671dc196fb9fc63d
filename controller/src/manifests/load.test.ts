import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadManifests } from './load'

let dir: string
const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\n`

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-ingress-manifests-'))
  await mkdir(join(dir, 'nested', 'deeper'), { recursive: true })
  await writeFile(join(dir, 'b.yaml'), service('b'))
  await writeFile(join(dir, 'a.yml'), service('a'))
  await writeFile(join(dir, 'nested', 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' } }))
  await writeFile(join(dir, 'nested', 'deeper', 'd.yaml'), service('d'))
  await writeFile(join(dir, 'README.md'), '# not a manifest\n')
  await writeFile(join(dir, 'explicit.txt'), service('e'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const names = (objects: { object: Record<string, unknown> }[]) => objects.map((o) => (o.object.metadata as { name: string }).name)

describe('loadManifests', () => {
  it('reads directories recursively (.yaml, .yml, .json) in name order', async () => {
    const loaded = await loadManifests([dir])
    expect(loaded.problems).toEqual([])
    expect(names(loaded.objects)).toEqual(['a', 'b', 'c', 'd'])
    expect(loaded.objects[2]!.file).toBe(join(dir, 'nested', 'c.json'))
  })

  it('reads a file named explicitly whatever its extension', async () => {
    const loaded = await loadManifests([join(dir, 'explicit.txt')])
    expect(names(loaded.objects)).toEqual(['e'])
  })

  it('reports a missing path and still reads the others', async () => {
    const missing = join(dir, 'nope.yaml')
    const loaded = await loadManifests([missing, join(dir, 'a.yml')])
    expect(names(loaded.objects)).toEqual(['a'])
    expect(loaded.problems).toEqual([{ file: missing, document: 0, message: 'cannot be read: no such file or directory' }])
  })
})
