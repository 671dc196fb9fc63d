// Where published route tables live in an object store (S3, Workers KV), shared by the
// controller (writer) and the edge (reader); cdk/lib/route-table-access.ts grants IAM on the
// same keys (a unit test keeps the two in step). Per cluster, under `route-tables/<cluster>/`:
//   revisions/<revision>.json   one immutable object per table revision, written first
//   route-table.json            a small pointer to the current revision, written last
// A reader follows the pointer, so it never sees a half-published table (ADR 0402).

export const ROUTE_TABLE_PREFIX = 'route-tables/'
export const POINTER_KIND = 'edge-ingress.io/route-table-pointer'
/** The pointer's name inside a cluster's prefix. */
export const POINTER_FILE = 'route-table.json'

export interface RouteTablePointer {
  kind: typeof POINTER_KIND
  /** The table revision the pointer names. */
  revision: string
  /** Key of the immutable table object, in the same store and under the pointer's own prefix. */
  key: string
  cluster: string
  publishedAt: string
}

export function clusterPrefix(clusterName: string, prefix = ROUTE_TABLE_PREFIX): string {
  return `${prefix}${clusterName}/`
}

/** The pointer's key: what an edge is configured to read (EDGE_ROUTE_TABLE_KEY). */
export function clusterTableKey(clusterName: string, prefix = ROUTE_TABLE_PREFIX): string {
  return `${clusterPrefix(clusterName, prefix)}${POINTER_FILE}`
}

export function revisionKey(clusterName: string, revision: string, prefix = ROUTE_TABLE_PREFIX): string {
  return `${clusterPrefix(clusterName, prefix)}revisions/${revision}.json`
}

export function pointerFor(clusterName: string, revision: string, publishedAt: Date, prefix = ROUTE_TABLE_PREFIX): RouteTablePointer {
  return { kind: POINTER_KIND, revision, key: revisionKey(clusterName, revision, prefix), cluster: clusterName, publishedAt: publishedAt.toISOString() }
}

export type PointerRead = { kind: 'pointer'; pointer: RouteTablePointer } | { kind: 'table' } | { kind: 'invalid'; message: string }

/**
 * Tells a pointer from a table (a whole table may be stored under the pointer's key by hand).
 * A pointer may only name a key beside itself (same directory or below): a reader with wide
 * read access is never sent elsewhere by a tampered pointer.
 */
export function readPointer(text: string, pointerKey: string): PointerRead {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: 'table' } // the table parser reports the JSON error with its path
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== POINTER_KIND) return { kind: 'table' }
  const { revision, key, cluster, publishedAt } = value as Record<string, unknown>
  if (typeof revision !== 'string' || !/^[0-9a-f]{8,128}$/.test(revision)) return { kind: 'invalid', message: 'pointer: revision must be a hex string' }
  if (typeof key !== 'string') return { kind: 'invalid', message: 'pointer: key must be a string' }
  const directory = pointerKey.slice(0, pointerKey.lastIndexOf('/') + 1)
  if (!key.startsWith(directory) || key.split('/').some((part) => part === '..' || part === '.') || key.includes('//')) {
    return { kind: 'invalid', message: `pointer: key "${key}" is not under "${directory}"` }
  }
  return { kind: 'pointer', pointer: { kind: POINTER_KIND, revision, key, cluster: typeof cluster === 'string' ? cluster : '', publishedAt: typeof publishedAt === 'string' ? publishedAt : '' } }
}
