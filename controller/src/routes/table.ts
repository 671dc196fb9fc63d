// Surviving candidates -> the route table: virtual hosts (exact names, then wildcards, then
// `*`; alphabetical within), routes in precedence order, and only the gateways something
// references. Route ids are `<Kind>/<namespace>/<name>/<rule>/<match>`; when one rule match
// serves several hostnames, each copy gets `@<hostname>` so that ids stay unique in the table.
import { withRevision } from '../../../edge/src/route-table/revision'
import { SCHEMA_VERSION, type Gateway, type Route, type RouteAction, type RouteTable, type VirtualHost } from '../../../edge/src/route-table/types'
import { compareText, type Candidate } from './candidate'
import { comparePrecedence } from './precedence'

export async function assembleTable(
  kept: readonly Candidate[],
  fallback: RouteAction | null,
  gateways: Readonly<Record<string, Gateway>>,
  cluster: string,
): Promise<RouteTable> {
  const baseId = (c: Candidate) => `${c.owner.ref.kind}/${c.owner.ref.namespace}/${c.owner.ref.name}/${c.rule}/${c.match}`
  const copies = new Map<string, number>()
  for (const c of kept) copies.set(baseId(c), (copies.get(baseId(c)) ?? 0) + 1)

  const byHost = new Map<string, Route[]>()
  for (const c of kept) {
    const id = copies.get(baseId(c))! > 1 ? `${baseId(c)}@${c.hostname}` : baseId(c)
    const route: Route = {
      id,
      source: {
        kind: c.owner.ref.kind as Route['source']['kind'],
        namespace: c.owner.ref.namespace,
        name: c.owner.ref.name,
        rule: c.rule,
        match: c.match,
        createdAt: c.owner.createdAt,
        cluster,
      },
      wildcard: c.wildcard,
      listenerPorts: c.listenerPorts,
      match: c.routeMatch,
      action: c.action,
    }
    const routes = byHost.get(c.hostname)
    if (routes) routes.push(route)
    else byHost.set(c.hostname, [route])
  }
  const hosts: VirtualHost[] = [...byHost.entries()]
    .sort(([a], [b]) => hostRank(a) - hostRank(b) || compareText(a, b))
    .map(([hostname, routes]) => ({ hostname, routes: routes.sort(comparePrecedence) }))

  return withRevision({ schemaVersion: SCHEMA_VERSION, gateways: referencedGateways(hosts, fallback, gateways), hosts, fallback })
}

const hostRank = (hostname: string) => (hostname === '*' ? 2 : hostname.startsWith('*.') ? 1 : 0)

function referencedGateways(hosts: readonly VirtualHost[], fallback: RouteAction | null, all: Readonly<Record<string, Gateway>>): Record<string, Gateway> {
  const used = new Set<string>()
  const visit = (action: RouteAction) => {
    for (const b of action.backends) if (b.gateway !== null) used.add(b.gateway)
    for (const f of action.filters) if (f.type === 'RequestMirror' && f.backend.gateway !== null) used.add(f.backend.gateway)
  }
  for (const host of hosts) for (const route of host.routes) visit(route.action)
  if (fallback) visit(fallback)
  const out: Record<string, Gateway> = {}
  for (const id of [...used].sort(compareText)) out[id] = all[id]!
  return out
}
