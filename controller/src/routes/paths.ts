// Path values as the table stores them: in the same normal form as request paths (so both
// sides of a comparison agree), PathPrefix without a trailing slash (except `/`): `/abc/` and
// `/abc` are the same prefix in both specs.
import { normalizePath } from '../../../edge/src/route-table/normalize-path'
import type { PathMatchType } from '../../../edge/src/route-table/types'

export type TablePath = { ok: true; value: string; changed: boolean } | { ok: false; error: string }

export function tablePath(type: PathMatchType, raw: string): TablePath {
  const normal = normalizePath(raw)
  if (!normal.ok) return normal
  let value = normal.path
  if (type === 'PathPrefix' && value.length > 1 && value.endsWith('/')) value = value.replace(/\/+$/, '') || '/'
  const trimmedRaw = type === 'PathPrefix' && raw.length > 1 ? raw.replace(/\/+$/, '') || '/' : raw
  return { ok: true, value, changed: value !== trimmedRaw }
}
