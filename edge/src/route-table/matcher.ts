// The matcher (docs/matching.md): host first, then path, then predicates, never a scan over
// all routes. Host selection happens among the routes that exist on the request's listener
// port, picks the most specific virtual host (exact name, then the longest wildcard suffix,
// then `*`) and does not fall through: no route there means the table's fallback, else none.
import { newCompileCaches, type CompiledRoute } from './compiled-route'
import { HostIndex, type HostEntry } from './host-index'
import { HostRoutes, type BuildContext } from './host-routes'
import { describeMiss, describeRoute, type HostChoice } from './match-reason'
import type { MatchRequest, MatchResult, RouteMatcher } from './match-types'
import { RouteSlots, type RouteSet } from './route-set'
import { isIPv4 } from './syntax'
import type { Route, RouteAction, RouteTable, VirtualHost } from './types'

export function buildMatcher(table: RouteTable): RouteMatcher {
  const context: BuildContext = { caches: newCompileCaches(), slots: new RouteSlots() }
  const everyPort = new HostIndex()
  const byPort = new Map<number, HostIndex>()
  const hosts = new Map<string, HostRoutes>()
  // Each hostname is filed under the ports its routes exist on; its routes are compiled when a
  // request first selects it (host-routes.ts).
  // Index loops, not for-of: this runs cold, where an iterator per list costs more than the work.
  for (let h = 0; h < table.hosts.length; h++) {
    const vhost = table.hosts[h]!
    let host = hosts.get(vhost.hostname)
    if (!host) hosts.set(vhost.hostname, (host = new HostRoutes(context)))
    host.vhosts.push(vhost)
    const routes = vhost.routes
    for (let r = 0; r < routes.length; r++) {
      const ports = routes[r]!.listenerPorts
      if (ports.length === 0) host.everyPort ??= everyPort.entry(vhost, host)
      for (let p = 0; p < ports.length; p++) {
        if (host.byPort.has(ports[p]!)) continue
        let index = byPort.get(ports[p]!)
        if (!index) byPort.set(ports[p]!, (index = new HostIndex()))
        host.byPort.set(ports[p]!, index.entry(vhost, host))
      }
    }
  }
  return new IndexedMatcher(table, context.slots, everyPort, byPort)
}

class IndexedMatcher implements RouteMatcher {
  /** Reused by every lookup: match() is synchronous, so one at a time. */
  private readonly finder: BestRoute

  constructor(
    readonly table: RouteTable,
    private readonly slots: RouteSlots,
    private readonly everyPort: HostIndex,
    private readonly byPort: ReadonlyMap<number, HostIndex>,
  ) {
    this.finder = new BestRoute(slots)
  }

  match(request: MatchRequest): MatchResult {
    const port = this.byPort.size === 0 ? null : (this.byPort.get(request.port) ?? null)
    const best = this.finder.find(request, this.everyPort, port)
    if (best >= 0) return new RouteHit(this.slots, best, this, request)
    const fallback = this.table.fallback
    return fallback ? new FallbackHit(fallback, this, request) : new Miss(this, request)
  }

  /** The chosen host and its route sets, for explanations only. */
  choiceFor(request: MatchRequest): HostChoice | null {
    const collector = new ChoiceCollector()
    selectHost(request.host, this.everyPort, this.byPort.get(request.port) ?? null, collector)
    return collector.choice
  }
}

/** Receives the route sets of the selected virtual host; selection stops at the first level that offers any. */
interface HostSink {
  selected: boolean
  offer(entry: HostEntry, set: RouteSet, how: HostChoice['how']): void
}

/** The hot path's sink: looks each set up at once and keeps the highest-ranked route. */
class BestRoute implements HostSink {
  selected = false
  /** The best route so far, as its offset in the slots, or -1. */
  private best = -1
  private request: MatchRequest | null = null

  constructor(private readonly slots: RouteSlots) {}

  find(request: MatchRequest, everyPort: HostIndex, port: HostIndex | null): number {
    this.selected = false
    this.best = -1
    this.request = request
    selectHost(request.host, everyPort, port, this)
    this.request = null
    return this.best
  }

  offer(_entry: HostEntry, set: RouteSet): void {
    this.selected = true
    const found = set.lookup(this.request!)
    if (found >= 0 && (this.best < 0 || this.slots.compiled(found).rank < this.slots.compiled(this.best).rank)) this.best = found
  }
}

class ChoiceCollector implements HostSink {
  selected = false
  choice: HostChoice | null = null

  offer(entry: HostEntry, set: RouteSet, how: HostChoice['how']): void {
    this.selected = true
    if (this.choice === null) this.choice = { entry, how, sets: [set] }
    else this.choice.sets.push(set)
  }
}

/** The most specific virtual host with routes on this port: exact name, longest wildcard suffix, then `*`. */
function selectHost(host: string, everyPort: HostIndex, port: HostIndex | null, sink: HostSink): void {
  offer(sink, everyPort.exact.get(host), 'exact', false)
  if (port !== null) offer(sink, port.exact.get(host), 'exact', false)
  if (sink.selected) return
  if (!isIpLiteral(host)) {
    // `*.example.com` for `a.b.example.com`: suffixes from the longest (most specific) down.
    for (let dot = host.indexOf('.'), extraLabels = 1; dot > 0; dot = host.indexOf('.', dot + 1), extraLabels++) {
      offer(sink, everyPort.wildcardFor(host, dot + 1), 'wildcard', extraLabels === 1)
      if (port !== null) offer(sink, port.wildcardFor(host, dot + 1), 'wildcard', extraLabels === 1)
      if (sink.selected) return
    }
  }
  offer(sink, everyPort.any ?? undefined, 'any', false)
  if (port !== null) offer(sink, port.any ?? undefined, 'any', false)
}

/** IPv6 in brackets, or IPv4 (which ends in a digit, as few names do: the pattern runs only then). */
function isIpLiteral(host: string): boolean {
  const last = host.charCodeAt(host.length - 1)
  return host.startsWith('[') || (last >= 48 && last <= 57 && isIPv4(host))
}

/** Offers an entry's non-empty route sets (Ingress single-label ones only for one extra label). */
function offer(sink: HostSink, entry: HostEntry | undefined, how: HostChoice['how'], singleLabel: boolean): void {
  if (entry === undefined) return
  entry.prepare()
  if (entry.size > 0) sink.offer(entry, entry, how)
  if (singleLabel && entry.singleLabel !== null) sink.offer(entry, entry.singleLabel, how)
}

// Results are small classes, one allocation per match: `reason` is only built when read
// (explain, logs), never on the hot path.
abstract class Result {
  constructor(
    private readonly matcher: IndexedMatcher,
    protected readonly request: MatchRequest,
  ) {}
  protected choice(): HostChoice | null {
    return this.matcher.choiceFor(this.request)
  }
}

class RouteHit extends Result {
  readonly kind = 'route'
  readonly route: Route
  readonly host: VirtualHost
  private readonly winner: CompiledRoute
  constructor(slots: RouteSlots, at: number, matcher: IndexedMatcher, request: MatchRequest) {
    super(matcher, request)
    // From the slots: the hit reads no other object.
    this.route = slots.route(at)
    this.host = slots.host(at)
    this.winner = slots.compiled(at)
  }
  get reason(): string {
    return describeRoute(this.winner, this.choice()!, this.request)
  }
}

class FallbackHit extends Result {
  readonly kind = 'fallback'
  constructor(
    readonly action: RouteAction,
    matcher: IndexedMatcher,
    request: MatchRequest,
  ) {
    super(matcher, request)
  }
  get reason(): string {
    return `${describeMiss(this.choice(), this.request)}; the table's fallback (Ingress defaultBackend) answers`
  }
}

class Miss extends Result {
  readonly kind = 'none'
  get reason(): string {
    return describeMiss(this.choice(), this.request)
  }
}
