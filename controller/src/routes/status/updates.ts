// Compile results + the objects as the caches hold them -> the status writes that would change
// something (pure). Each write carries the resourceVersion it was computed from, so a write
// based on a stale object is refused by the apiserver instead of clobbering someone else's.
// Only our parts are written: HTTPRoute status.parents entries of other controllers are kept,
// and entries of ours whose parent no longer names one of our Gateways are removed; objects
// that stopped being ours get back what we wrote (released.ts).
import { canonicalJson } from '../../../../edge/src/route-table/revision'
import type { ObjectMeta } from '../../ports/kubernetes-objects'
import { GATEWAY_CONTROLLER } from '../constants'
import type { CompileResult, Condition, ObjectRef, ParentRefKey } from '../results'
import { existingConditions, withTransitionTimes } from './conditions'
import type { PublicAddress } from './public-address'
import { releasedUpdates } from './released'

export type StatusKind = 'Ingress' | 'GatewayClass' | 'Gateway' | 'HTTPRoute'

export interface CachedObject {
  metadata: ObjectMeta
  status?: unknown
}

export interface CachedObjects {
  ingresses: readonly CachedObject[]
  gatewayClasses: readonly CachedObject[]
  gateways: readonly CachedObject[]
  httpRoutes: readonly CachedObject[]
}

export interface StatusUpdate {
  kind: StatusKind
  namespace: string
  name: string
  /** The resourceVersion the status was computed from (the write's precondition). */
  resourceVersion: string
  /** The members of `.status` to set (a merge patch). */
  status: Record<string, unknown>
}

export interface StatusOptions {
  /** Null: Ingress status and Gateway addresses are left alone. */
  publicAddress: PublicAddress | null
  /** GatewayClass SupportedVersion, when the installed CRD version is known. */
  supportedVersion: Condition | null
  now: string
}

export function statusUpdates(result: CompileResult, cached: CachedObjects, options: StatusOptions): StatusUpdate[] {
  const updates: StatusUpdate[] = []
  /** Compares what the object has with what it should have; the patch defaults to the latter. */
  const push = (kind: StatusKind, object: CachedObject | undefined, current: unknown, desired: Record<string, unknown>, patch = desired) => {
    if (!object || canonicalJson(current) === canonicalJson(desired)) return
    updates.push({ kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name, resourceVersion: object.metadata.resourceVersion ?? '', status: patch })
  }
  const find = indexByRef(cached)

  for (const r of result.gatewayClasses) {
    const object = find('GatewayClass', r.object)
    const status = record(object?.status)
    const existing = existingConditions(status.conditions)
    const conditions = [...r.conditions, ...(options.supportedVersion ? [{ ...options.supportedVersion, observedGeneration: r.generation }] : [])]
    push('GatewayClass', object, { conditions: status.conditions }, { conditions: withTransitionTimes(conditions, existing, options.now) })
  }

  for (const r of result.gateways) {
    const object = find('Gateway', r.object)
    const status = record(object?.status)
    const existingListeners = Array.isArray(status.listeners) ? status.listeners.map(record) : []
    const desired: Record<string, unknown> = {
      conditions: withTransitionTimes(r.conditions, existingConditions(status.conditions), options.now),
      listeners: r.listeners.map((l) => ({
        name: l.name,
        supportedKinds: l.supportedKinds,
        attachedRoutes: l.attachedRoutes,
        conditions: withTransitionTimes(l.conditions, existingConditions(existingListeners.find((e) => e.name === l.name)?.conditions), options.now),
      })),
    }
    const current: Record<string, unknown> = { conditions: status.conditions, listeners: status.listeners }
    if (options.publicAddress) {
      desired.addresses = [options.publicAddress.gateway]
      current.addresses = status.addresses
    }
    push('Gateway', object, current, desired)
  }

  const routeResults = new Map(result.httpRoutes.map((r) => [refKey(r.object), r]))
  for (const object of cached.httpRoutes) {
    const status = record(object.status)
    const existing = Array.isArray(status.parents) ? status.parents.map(record) : []
    const foreign = existing.filter((p) => p.controllerName !== GATEWAY_CONTROLLER)
    const r = routeResults.get(refKey({ kind: 'HTTPRoute', namespace: object.metadata.namespace ?? '', name: object.metadata.name }))
    const ours = (r?.parents ?? []).map((p) => {
      const parentRef = statusParentRef(p.parentRef)
      const before = existing.find((e) => e.controllerName === GATEWAY_CONTROLLER && canonicalJson(e.parentRef) === canonicalJson(parentRef))
      return { parentRef, controllerName: p.controllerName, conditions: withTransitionTimes(p.conditions, existingConditions(before?.conditions), options.now) }
    })
    // Never write an empty status for a route that is not (and was not) ours.
    if (ours.length === 0 && foreign.length === existing.length) continue
    push('HTTPRoute', object, { parents: status.parents ?? [] }, { parents: [...foreign, ...ours] })
  }

  if (options.publicAddress) {
    for (const r of result.ingresses) {
      const object = find('Ingress', r.object)
      const lb = record(record(object?.status).loadBalancer)
      const current = (Array.isArray(lb.ingress) ? lb.ingress.map(record) : []).map((e) => (e.ip ? { ip: e.ip } : { hostname: e.hostname }))
      const desired = { ingress: r.accepted ? [options.publicAddress.ingress] : [] }
      push('Ingress', object, { ingress: current }, desired, { loadBalancer: desired })
    }
  }
  updates.push(...releasedUpdates(result, cached))
  return updates
}

/** RouteParentStatus.parentRef: the ParentReference with unset optional fields left out. */
function statusParentRef(ref: ParentRefKey): Record<string, unknown> {
  return {
    group: ref.group,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    ...(ref.sectionName !== null ? { sectionName: ref.sectionName } : {}),
    ...(ref.port !== null ? { port: ref.port } : {}),
  }
}

function indexByRef(cached: CachedObjects) {
  const byKind: Record<string, Map<string, CachedObject>> = {}
  const index = (kind: string, objects: readonly CachedObject[]) =>
    (byKind[kind] = new Map(objects.map((o) => [refKey({ kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name }), o])))
  index('Ingress', cached.ingresses)
  index('GatewayClass', cached.gatewayClasses)
  index('Gateway', cached.gateways)
  return (kind: string, ref: ObjectRef) => byKind[kind]!.get(refKey(ref))
}

const refKey = (ref: ObjectRef) => `${ref.kind}/${ref.namespace}/${ref.name}`
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {})

