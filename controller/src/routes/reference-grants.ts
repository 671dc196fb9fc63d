// ReferenceGrant: a reference into another namespace is allowed only when a ReferenceGrant in
// the target namespace lists the referring kind and namespace under `from` and the target kind
// (and name, when given) under `to`.
import type { ReferenceGrant } from './model/gateway'
import type { Known } from './model/inventory'

export interface Referrer {
  group: string
  kind: string
  namespace: string
}

export interface Referent {
  group: string
  kind: string
  namespace: string
  name: string
}

export function referenceAllowed(grants: readonly Known<ReferenceGrant>[], from: Referrer, to: Referent): boolean {
  if (from.namespace === to.namespace) return true
  return grants.some(
    (grant) =>
      grant.ref.namespace === to.namespace &&
      grant.value.spec.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
      grant.value.spec.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name)),
  )
}
