// Local mode: no cloud, so no L4 balancers. Each LoadBalancer Service of the manifests gets a
// placeholder balancer address before compiling (so the compiler resolves exactly the backends
// it would resolve in a cluster whose controller gave them NLBs), then every resolved backend
// is pointed at a local stand-in for its Service port. Unresolved backends (a Service the
// manifests lack, a ClusterIP Service) stay unresolved and answer 500, as in a cluster. Pure.
import { withRevision } from '../../../edge/src/route-table/revision'
import type { Backend, Filter, Gateway, RouteAction, RouteTable, ServiceRef } from '../../../edge/src/route-table/types'

export const LOCAL_CLUSTER = 'local'

export const serviceKey = (s: ServiceRef) => `${s.namespace}/${s.name}:${s.port}`

export interface LocalAddress {
  address: string
  port: number
}

/** What the L4 controller would write into a LoadBalancer Service's status; the address is replaced later. */
export const PLACEHOLDER_BALANCER = '127.0.0.1'

/** The manifests' objects with every LoadBalancer Service given a placeholder balancer. */
export function withPlaceholderBalancers(objects: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return objects.map((o) => {
    const spec = o.spec as { type?: unknown } | undefined
    if (o.apiVersion !== 'v1' || o.kind !== 'Service' || spec?.type !== 'LoadBalancer') return o
    return { ...o, status: { loadBalancer: { ingress: [{ ip: PLACEHOLDER_BALANCER }] } } }
  })
}

/** Every resolved Service port a table sends traffic to (mirrors included), in first-seen order. */
export function servicePortsOf(table: RouteTable): ServiceRef[] {
  const seen = new Map<string, ServiceRef>()
  const visitBackend = (b: Backend) => b.gateway === null || seen.has(serviceKey(b.service)) || seen.set(serviceKey(b.service), b.service)
  const visitFilters = (filters: Filter[]) => filters.forEach((f) => f.type === 'RequestMirror' && visitBackend(f.backend))
  const visitAction = (action: RouteAction) => {
    for (const b of action.backends) {
      visitBackend(b)
      visitFilters(b.filters)
    }
    visitFilters(action.filters)
  }
  for (const host of table.hosts) for (const route of host.routes) visitAction(route.action)
  if (table.fallback) visitAction(table.fallback)
  return [...seen.values()]
}

export async function pointAtLocalBackends(table: RouteTable, local: ReadonlyMap<string, LocalAddress>): Promise<RouteTable> {
  const gateways: Record<string, Gateway> = {}
  const rewriteBackend = (b: Backend): Backend => {
    const target = b.gateway === null ? undefined : local.get(serviceKey(b.service))
    const filters = b.filters.map(rewriteFilter)
    if (!target) return { ...b, gateway: null, filters }
    const id = `${LOCAL_CLUSTER}/${target.address}:${target.port}`
    gateways[id] ??= { id, cluster: LOCAL_CLUSTER, address: target.address, port: target.port, protocol: 'http' }
    return { ...b, gateway: id, filters }
  }
  const rewriteFilter = (f: Filter): Filter => (f.type === 'RequestMirror' ? { ...f, backend: rewriteBackend(f.backend) } : f)
  const rewriteAction = (a: RouteAction): RouteAction => ({ ...a, backends: a.backends.map(rewriteBackend), filters: a.filters.map(rewriteFilter) })
  const { revision: _old, ...content } = table
  return withRevision({
    ...content,
    hosts: table.hosts.map((h) => ({ ...h, routes: h.routes.map((r) => ({ ...r, action: rewriteAction(r.action) })) })),
    fallback: table.fallback ? rewriteAction(table.fallback) : null,
    gateways,
  })
}
