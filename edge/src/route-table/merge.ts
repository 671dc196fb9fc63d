// Merges the route tables of several clusters into one (multi-cluster, issue 4). The same host,
// match and listener ports served by several clusters become one route whose backends are the
// union, each cluster's share equal and each backend keeping its gateway, so the edge can fail
// over between clusters. Deterministic: the result does not depend on the order of the inputs.
import { compareText as compare } from './compiled-route'
import { canonicalJson, withRevision } from './revision'
import type { Backend, Filter, Gateway, Route, RouteAction, RouteTable } from './types'

/** Each cluster's backends of a merged route are scaled to this total weight. */
export const CLUSTER_SHARE = 10_000

export async function mergeRouteTables(tables: RouteTable[]): Promise<RouteTable> {
  const inputs = [...tables].sort((a, b) => compare(canonicalJson(a), canonicalJson(b))).map(renameClashingGateways(tables))
  const gateways: Record<string, Gateway> = {}
  for (const { table } of inputs) Object.assign(gateways, table.gateways)

  const groups = new Map<string, { hostname: string; members: Route[] }>()
  const single: { hostname: string; route: Route }[] = []
  for (const { table } of inputs) {
    const joined = new Set<string>()
    for (const host of table.hosts) {
      for (const route of host.routes) {
        const key = `${host.hostname} ${canonicalJson(route.match)} ${[...route.listenerPorts].sort((a, b) => a - b).join(',')}`
        // Within one table, identical matches are resolved by precedence, not merged.
        if (joined.has(key)) single.push({ hostname: host.hostname, route })
        else {
          joined.add(key)
          const group = groups.get(key) ?? { hostname: host.hostname, members: [] }
          group.members.push(route)
          groups.set(key, group)
        }
      }
    }
  }

  const byHost = new Map<string, Route[]>()
  const usedIds = new Set<string>()
  const add = (hostname: string, route: Route) => {
    let id = route.id
    if (usedIds.has(id)) id = `${route.id}#${route.source.cluster}`
    for (let n = 2; usedIds.has(id); n++) id = `${route.id}#${route.source.cluster}-${n}`
    usedIds.add(id)
    const routes = byHost.get(hostname) ?? []
    routes.push(id === route.id ? route : { ...route, id })
    byHost.set(hostname, routes)
  }
  for (const { hostname, members } of groups.values()) add(hostname, mergeRoutes(members))
  for (const { hostname, route } of single) add(hostname, route)

  const fallbacks = inputs.flatMap(({ table }) => (table.fallback ? [table.fallback] : []))
  return withRevision({
    schemaVersion: 1,
    gateways: Object.fromEntries(Object.entries(gateways).sort(([a], [b]) => compare(a, b))),
    hosts: [...byHost.entries()].sort(([a], [b]) => compare(a, b)).map(([hostname, routes]) => ({ hostname, routes })),
    fallback: fallbacks.length === 0 ? null : mergeActions(fallbacks),
  })
}

/** The oldest member speaks for the route (id, source, filters); backends are the union. */
function mergeRoutes(members: Route[]): Route {
  if (members.length === 1) return members[0]!
  const sorted = [...members].sort((a, b) => Date.parse(a.source.createdAt) - Date.parse(b.source.createdAt) || compare(a.source.cluster, b.source.cluster) || compare(a.id, b.id))
  return { ...sorted[0]!, action: mergeActions(sorted.map((m) => m.action)) }
}

function mergeActions(actions: RouteAction[]): RouteAction {
  if (actions.length === 1) return actions[0]!
  return { ...actions[0]!, backends: actions.flatMap((a) => scaleWeights(a.backends)) }
}

/** Scales one cluster's weights to CLUSTER_SHARE in total (largest remainder), so clusters share equally. */
function scaleWeights(backends: Backend[]): Backend[] {
  const total = backends.reduce((sum, b) => sum + b.weight, 0)
  if (total === 0) return backends
  const exact = backends.map((b) => (b.weight * CLUSTER_SHARE) / total)
  const weights = exact.map(Math.floor)
  let left = CLUSTER_SHARE - weights.reduce((a, b) => a + b, 0)
  const order = exact.map((w, i) => [w - Math.floor(w), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of order) if (left-- > 0) weights[i]!++
  return backends.map((b, i) => ({ ...b, weight: weights[i]! }))
}

/**
 * Two clusters may use one gateway id for different gateways: those ids get `@<cluster>`
 * in every table that uses them, references included.
 */
function renameClashingGateways(all: RouteTable[]) {
  const seen = new Map<string, string>()
  const clashing = new Set<string>()
  for (const table of all) {
    for (const [id, gateway] of Object.entries(table.gateways)) {
      const text = canonicalJson(gateway)
      if (seen.has(id) && seen.get(id) !== text) clashing.add(id)
      seen.set(id, seen.get(id) ?? text)
    }
  }
  return (table: RouteTable) => {
    if (!Object.keys(table.gateways).some((id) => clashing.has(id))) return { table }
    const rename = (id: string | null) => (id !== null && clashing.has(id) ? `${id}@${table.gateways[id]!.cluster}` : id)
    const renameBackend = (b: Backend): Backend => ({ ...b, gateway: rename(b.gateway) })
    const renameFilter = (f: Filter): Filter => (f.type === 'RequestMirror' ? { ...f, backend: renameBackend(f.backend) } : f)
    const renameAction = (a: RouteAction): RouteAction => ({ ...a, backends: a.backends.map(renameBackend), filters: a.filters.map(renameFilter) })
    return {
      table: {
        ...table,
        gateways: Object.fromEntries(Object.values(table.gateways).map((g) => [rename(g.id)!, { ...g, id: rename(g.id)! }])),
        hosts: table.hosts.map((h) => ({ ...h, routes: h.routes.map((r) => ({ ...r, action: renameAction(r.action) })) })),
        fallback: table.fallback && renameAction(table.fallback),
      },
    }
  }
}
