// The KV binding is a port (the real one is exercised on workerd in test/integration/edge).
import { describe, expect, it } from 'vitest'
import { clusterTableKey, pointerFor, revisionKey } from '../route-table/store-layout'
import { createKvRouteTableSource, type KvNamespaceLike } from './kv-route-table-source'

const kv = (entries: Record<string, string>): KvNamespaceLike => ({ get: async (key) => entries[key] ?? null })

describe('createKvRouteTableSource', () => {
  it('follows a pointer to its revision key and reports an unchanged pointer as unchanged', async () => {
    const key = clusterTableKey('prod')
    const pointer = JSON.stringify(pointerFor('prod', 'ab12cd34', new Date(0)))
    const source = createKvRouteTableSource(kv({ [key]: pointer, [revisionKey('prod', 'ab12cd34')]: '{"table":1}' }), key)
    const read = await source.read(null)
    expect(read).toMatchObject({ kind: 'table', text: '{"table":1}' })
    expect(await source.read(read.kind === 'table' ? read.tag : null)).toEqual({ kind: 'unchanged' })
  })

  it('reads a whole table stored at the key, reports an absent key as missing and a dangling pointer as an error', async () => {
    expect(await createKvRouteTableSource(kv({ k: '{"schemaVersion":1}' }), 'k').read(null)).toMatchObject({ kind: 'table', text: '{"schemaVersion":1}' })
    expect(await createKvRouteTableSource(kv({}), 'k').read(null)).toEqual({ kind: 'missing' })
    const key = clusterTableKey('prod')
    const dangling = createKvRouteTableSource(kv({ [key]: JSON.stringify(pointerFor('prod', 'ab12cd34', new Date(0))) }), key)
    await expect(dangling.read(null)).rejects.toThrow(/does not exist/)
  })
})
