// Which parts of an object's status this controller wrote, read from the API server's own
// record of field ownership (metadata.managedFields, kept for every write, merge patches
// included): so that when an object stops being ours, exactly our parts are taken back and
// another controller's are kept, with nothing remembered in memory. A field another manager
// changed since is no longer ours.

/** The field manager of every route status write (adapters/kubernetes/route-status.ts). */
export const STATUS_FIELD_MANAGER = 'edge-ingress-controller'

interface ManagedFieldsEntry {
  manager?: string
  subresource?: string
  fieldsV1?: Record<string, unknown>
}

export type FieldTree = Record<string, unknown>

/** The `f:status` subtree that `manager` owns through the status subresource (null: nothing). */
export function ownedStatus(managedFields: unknown, manager = STATUS_FIELD_MANAGER): FieldTree | null {
  if (!Array.isArray(managedFields)) return null
  const trees = (managedFields as ManagedFieldsEntry[])
    .filter((m) => m.manager === manager && m.subresource === 'status')
    .map((m) => m.fieldsV1?.['f:status'])
    .filter((t): t is FieldTree => typeof t === 'object' && t !== null)
  return trees.length === 0 ? null : trees.reduce(merge, {})
}

/** Whether the tree holds the field at `path` (e.g. ['loadBalancer', 'ingress']), or any field below it. */
export function ownsField(tree: FieldTree | null, path: string[]): boolean {
  let node: unknown = tree
  for (const name of path) {
    node = (node as FieldTree | null)?.[`f:${name}`]
    if (node === undefined) return false
  }
  return true
}

/**
 * Which entries of a list (e.g. conditions by `type`, listeners by `name`) the tree owns: all of
 * them when it owns the list as a whole (an atomic list, as the API server tracks the Gateway
 * API's status lists: whoever wrote the list last owns every entry), else, for a map-type list,
 * the entries in which it owns a field other than the key.
 */
export function ownedEntries(tree: FieldTree | null, list: string, keyName: string): (entry: Record<string, unknown>) => boolean {
  const node = tree?.[`f:${list}`]
  if (typeof node !== 'object' || node === null) return () => false
  const members = Object.keys(node as FieldTree).filter((m) => m.startsWith('k:'))
  if (members.length === 0) return () => true
  const keys = new Set<unknown>()
  for (const [member, fields] of Object.entries(node as FieldTree)) {
    if (!member.startsWith('k:')) continue
    const owned = Object.keys((fields ?? {}) as FieldTree).filter((f) => f !== '.' && f !== `f:${keyName}`)
    if (owned.length === 0) continue
    try {
      keys.add((JSON.parse(member.slice(2)) as Record<string, unknown>)[keyName])
    } catch {
      // not a key we can read: leave that entry alone
    }
  }
  return (entry) => keys.has(entry[keyName])
}

function merge(a: FieldTree, b: FieldTree): FieldTree {
  const out: FieldTree = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = typeof out[k] === 'object' && out[k] !== null && typeof v === 'object' && v !== null ? merge(out[k] as FieldTree, v as FieldTree) : v
  return out
}
