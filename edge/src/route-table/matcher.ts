// The matcher (docs/matching.md): host first, then path, then predicates, never a scan over
// all routes. Host selection happens among the routes that exist on the request's listener
// port, picks the most specific virtual host (exact name, then the longest wildcard suffix,
// then `*`) and does not fall through: no route there means the table's fallback, else none.
import { comparePrecedence, compileRoute, newCompileCaches, type CompiledRoute } from './compiled-route'
import { HostIndex } from './host-index'
import { describeMiss, describeRoute, type HostChoice } from './match-reason'
import type { MatchRequest, MatchResult, RouteMatcher } from './match-types'
import type { RouteSet } from './route-set'
import { isIPv4 } from './syntax'
import type { RouteTable } from './types'

export function buildMatcher(table: RouteTable): RouteMatcher {
  const caches = newCompileCaches()
  const everyPort = new HostIndex()
  const byPort = new Map<number, HostIndex>()
  for (const vhost of table.hosts) {
    const compiled: CompiledRoute[] = []
    for (const route of vhost.routes) {
      const c = compileRoute(route, vhost, caches)
      if (c) compiled.push(c)
    }
    // Never trust the table's order: tables get merged across clusters.
    compiled.sort(comparePrecedence)
    for (let rank = 0; rank < compiled.length; rank++) {
      const c = compiled[rank]!
      c.rank = rank
      if (c.route.listenerPorts.length === 0) everyPort.add(c)
      for (const port of c.route.listenerPorts) {
        let index = byPort.get(port)
        if (!index) byPort.set(port, (index = new HostIndex()))
        index.add(c)
      }
    }
  }
  return new IndexedMatcher(table, everyPort, byPort)
}

class IndexedMatcher implements RouteMatcher {
  constructor(
    readonly table: RouteTable,
    private readonly everyPort: HostIndex,
    private readonly byPort: ReadonlyMap<number, HostIndex>,
  ) {}

  match(request: MatchRequest): MatchResult {
    const choice = chooseHost(request.host, this.everyPort, this.byPort.get(request.port) ?? null)
    let best: CompiledRoute | null = null
    if (choice) {
      for (const set of choice.sets) {
        const found = set.lookup(request)
        if (found && (best === null || found.rank < best.rank)) best = found
      }
    }
    if (best) {
      const winner = best
      return {
        kind: 'route',
        route: winner.route,
        host: winner.host,
        get reason() {
          return describeRoute(winner, choice!, request)
        },
      }
    }
    const fallback = this.table.fallback
    if (fallback) {
      return {
        kind: 'fallback',
        action: fallback,
        get reason() {
          return `${describeMiss(choice, request)}; the table's fallback (Ingress defaultBackend) answers`
        },
      }
    }
    return {
      kind: 'none',
      get reason() {
        return describeMiss(choice, request)
      },
    }
  }
}

/** The most specific virtual host with routes on this port, and its route sets that apply. */
function chooseHost(host: string, everyPort: HostIndex, port: HostIndex | null): HostChoice | null {
  const indexes = port ? [everyPort, port] : [everyPort]
  const sets: RouteSet[] = []
  let choice: HostChoice | null = null
  const take = (entry: HostChoice['entry'], set: RouteSet, how: HostChoice['how']) => {
    if (set.size === 0) return
    sets.push(set)
    choice ??= { entry, how, sets }
  }
  for (const index of indexes) {
    const entry = index.exact.get(host)
    if (entry) take(entry, entry.routes, 'exact')
  }
  if (choice) return choice
  if (!host.startsWith('[') && !isIPv4(host)) {
    // `*.example.com` for `a.b.example.com`: suffixes from the longest (most specific) down.
    for (let dot = host.indexOf('.'), extraLabels = 1; dot > 0; dot = host.indexOf('.', dot + 1), extraLabels++) {
      const suffix = host.slice(dot + 1)
      for (const index of indexes) {
        const entry = index.wildcard.get(suffix)
        if (!entry) continue
        take(entry, entry.routes, 'wildcard')
        if (extraLabels === 1) take(entry, entry.singleLabel, 'wildcard')
      }
      if (choice) return choice
    }
  }
  for (const index of indexes) if (index.any) take(index.any, index.any.routes, 'any')
  return choice
}
