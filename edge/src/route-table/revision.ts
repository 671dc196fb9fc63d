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
  // JSON.stringify does the walking and escaping (much faster than doing it here); the replacer
  // hands it each object with its keys sorted. Objects with integer-like keys cannot be
  // reordered that way (JavaScript keeps those first, in numeric order): they take the slow path.
  integerKeySeen = false
  const fast = JSON.stringify(value, sortKeys) ?? 'null'
  return integerKeySeen ? slowCanonicalJson(value) : fast
}

let integerKeySeen = false
const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const keys = Object.keys(value)
  let inOrder = true
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1]! < keys[i]!
  if (inOrder) return value
  if (INTEGER_KEY.test(keys[0]!)) integerKeySeen = true
  keys.sort()
  // No prototype: a `__proto__` key (JSON.parse makes it an own property) stays a plain key.
  const sorted: Record<string, unknown> = Object.create(null)
  for (const key of keys) sorted[key] = (value as Record<string, unknown>)[key]
  return sorted
}

function slowCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : slowCanonicalJson(item))).join(',')}]`
  const members: string[] = []
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined && typeof member !== 'function') members.push(`${JSON.stringify(key)}:${slowCanonicalJson(member)}`)
  }
  return `{${members.join(',')}}`
}
