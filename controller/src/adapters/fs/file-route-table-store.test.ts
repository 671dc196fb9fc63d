// The file store and the edge's file source on a real directory.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileRouteTableSource } from '../../../../edge/src/adapters/file-route-table-source'
import { withRevision } from '../../../../edge/src/route-table/revision'
import { FileRouteTableStore } from './file-route-table-store'

let dir: string
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'file-store-'))))
afterEach(async () => rm(dir, { recursive: true, force: true }))

const table = (host: string) => withRevision({ schemaVersion: 1, gateways: {}, hosts: [{ hostname: host, routes: [] }], fallback: null })

describe('FileRouteTableStore and the file source', () => {
  it('replaces the file whole and leaves no temporary files; the source sees each new table once', async () => {
    const path = join(dir, 'table.json')
    const store = new FileRouteTableStore(path)
    const source = createFileRouteTableSource(path)
    expect(await source.read(null)).toEqual({ kind: 'missing' })
    const one = await table('a.example')
    await store.publish(one, JSON.stringify(one))
    const first = await source.read(null)
    expect(first.kind === 'table' && JSON.parse(first.text)).toEqual(one)
    const tag = first.kind === 'table' ? first.tag : null
    expect(await source.read(tag)).toEqual({ kind: 'unchanged' })
    const two = await table('b.example')
    await store.publish(two, JSON.stringify(two))
    const second = await source.read(tag)
    expect(second.kind === 'table' && JSON.parse(second.text).revision).toBe(two.revision)
    expect(await readdir(dir)).toEqual(['table.json'])
  })

  it('wakes a waiting follower when the file is replaced', async () => {
    const path = join(dir, 'table.json')
    const source = createFileRouteTableSource(path)
    const started = performance.now()
    const waiting = source.waitForChange!(10_000, new AbortController().signal)
    await new Promise((r) => setTimeout(r, 50))
    const one = await table('a.example')
    await new FileRouteTableStore(path).publish(one, JSON.stringify(one))
    await waiting
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('fails without leaving a temporary file when the directory is not there', async () => {
    const store = new FileRouteTableStore(join(dir, 'missing', 'table.json'))
    const one = await table('a.example')
    await expect(store.publish(one, JSON.stringify(one))).rejects.toThrow(/ENOENT/)
    expect(await readdir(dir)).toEqual([])
  })
})
