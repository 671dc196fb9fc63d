// Status writes for objects that stopped being ours (an Ingress moved to another class or lost
// its class, a Gateway moved to another GatewayClass): what we wrote is taken back, what other
// controllers wrote is kept (pure). "What we wrote" is what the API server says our field
// manager still owns (owned-fields.ts). An Ingress loses the address we wrote; a Gateway loses
// our addresses and listeners, and its Accepted/Programmed conditions go back to the CRD's
// "Pending / Waiting for controller" (other condition types of ours are removed). HTTPRoute
// parent entries carry their controllerName and are handled with the route's status
// (updates.ts): ours go, others' stay.
import { canonicalJson } from '../../../../edge/src/route-table/revision'
import type { CompileResult, ObjectRef } from '../results'
import { ownedEntries, ownedStatus, ownsField } from './owned-fields'
import type { CachedObject, CachedObjects, StatusUpdate } from './updates'

const PENDING = { status: 'Unknown', reason: 'Pending', message: 'Waiting for controller', lastTransitionTime: '1970-01-01T00:00:00Z' }
const RESET_TO_PENDING = new Set(['Accepted', 'Programmed'])

export function releasedUpdates(result: CompileResult, cached: CachedObjects): StatusUpdate[] {
  const updates: StatusUpdate[] = []
  const ours = new Set([...result.ingresses, ...result.gateways].map((r) => refKey(r.object)))
  const notOurs = (kind: string, o: CachedObject) => !ours.has(refKey({ kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name }))
  const update = (kind: 'Ingress' | 'Gateway', o: CachedObject, status: Record<string, unknown>) =>
    updates.push({ kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name, resourceVersion: o.metadata.resourceVersion ?? '', status })

  for (const o of cached.ingresses.filter((i) => notOurs('Ingress', i))) {
    const entries = record(record(record(o.status).loadBalancer)).ingress
    if (Array.isArray(entries) && entries.length > 0 && ownsField(ownedStatus(o.metadata.managedFields), ['loadBalancer', 'ingress'])) update('Ingress', o, { loadBalancer: { ingress: [] } })
  }

  for (const o of cached.gateways.filter((g) => notOurs('Gateway', g))) {
    const tree = ownedStatus(o.metadata.managedFields)
    if (!tree) continue
    const status = record(o.status)
    const patch: Record<string, unknown> = {}
    const conditions = list(status.conditions)
    const ourConditions = ownedEntries(tree, 'conditions', 'type')
    const keptConditions = conditions.flatMap((c) => (!ourConditions(c) ? [c] : RESET_TO_PENDING.has(String(c.type)) ? [{ type: c.type, ...PENDING }] : []))
    if (canonicalJson(keptConditions) !== canonicalJson(conditions)) patch.conditions = keptConditions
    const listeners = list(status.listeners)
    const ourListeners = ownedEntries(tree, 'listeners', 'name')
    const keptListeners = listeners.filter((l) => !ourListeners(l))
    if (keptListeners.length !== listeners.length) patch.listeners = keptListeners
    if (list(status.addresses).length > 0 && ownsField(tree, ['addresses'])) patch.addresses = null
    if (Object.keys(patch).length > 0) update('Gateway', o, patch)
  }
  return updates
}

const refKey = (ref: ObjectRef) => `${ref.kind}/${ref.namespace}/${ref.name}`
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {})
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.map(record) : [])
