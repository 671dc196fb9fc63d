// API-key authentication: the presented key is hashed (SHA-256) and looked up among the
// policy's key hashes. The table never carries a key, and nothing here logs one: a match is
// known by the key's name only.
import { sha256Hex } from '../route-table/sha256'
import type { ApiKeyAuthentication } from '../route-table/types'

export type ApiKeyResult = { ok: true; keyName: string } | { ok: false; reason: 'missing' | 'invalid' }

/** Key hash -> name, built once per policy object (tables are immutable once loaded). */
const indexes = new WeakMap<ApiKeyAuthentication, Map<string, string>>()

function indexOf(policy: ApiKeyAuthentication): Map<string, string> {
  let index = indexes.get(policy)
  if (index === undefined) indexes.set(policy, (index = new Map(policy.keys.map((k) => [k.sha256, k.name]))))
  return index
}

export async function checkApiKey(policy: ApiKeyAuthentication, headers: Headers): Promise<ApiKeyResult> {
  const presented = headers.get(policy.header)?.trim()
  if (!presented) return { ok: false, reason: 'missing' }
  const name = indexOf(policy).get(await sha256Hex(presented))
  return name === undefined ? { ok: false, reason: 'invalid' } : { ok: true, keyName: name }
}
