// The table's revision: SHA-256 over canonical JSON (object keys sorted, arrays in order), so
// the same content gives the same revision whatever the key order. WebCrypto only: it exists
// on Node 20, workerd and Lambda alike.
import { sha256Hex } from './sha256'
import type { RouteTable } from './types'

export type TableContent = Omit<RouteTable, 'revision'>

export async function computeRevision(table: TableContent): Promise<string> {
  const { revision: _ignored, ...content } = table as TableContent & { revision?: unknown }
  return sha256Hex(canonicalJson(content))
}

export async function withRevision(table: TableContent): Promise<RouteTable> {
  return { ...table, revision: await computeRevision(table) }
}

/** JSON with object keys in code-unit order; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  const members: string[] = []
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined && typeof member !== 'function') members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`)
  }
  return `{${members.join(',')}}`
}
