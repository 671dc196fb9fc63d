// RouteTableSource on a Workers KV binding: the key holds a pointer to an immutable revision
// key (route-table/store-layout.ts) or a whole table. KV has no conditional read, so the tag
// is the pointer's revision (or a hash of a whole table) and an unchanged one is not parsed.
import { followPointer } from '../table/follow-pointer'
import type { RouteTableSource, SourceRead } from '../table/route-table-source'

/** The subset of the Workers KV binding the edge uses. */
export interface KvNamespaceLike {
  get(key: string, options: { type: 'text'; cacheTtl?: number }): Promise<string | null>
}

export function createKvRouteTableSource(kv: KvNamespaceLike, key: string): RouteTableSource {
  return {
    name: `kv:${key}`,
    // A deleted key is a withdrawn table (docs/multi-cluster.md).
    withdrawable: true,
    async read(previousTag: string | null): Promise<SourceRead> {
      const text = await kv.get(key, { type: 'text' })
      if (text === null) return { kind: 'missing' }
      const quickTag = `len:${text.length}:${fnv1a(text)}`
      if (quickTag === previousTag) return { kind: 'unchanged' }
      const table = await followPointer(text, key, (name) => kv.get(name, { type: 'text' }))
      return { kind: 'table', text: table.text, tag: quickTag }
    },
  }
}

/** FNV-1a over UTF-16 code units: a cheap change detector, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16)
}
