// EdgeMetrics on prom-client, served by the Node runtime's admin port (never the public one).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { Counters, Histograms } from './series-metrics'
import type { EdgeMetrics } from './metrics'

export interface PrometheusMetrics extends EdgeMetrics {
  registry: Registry
  /** Reports each gateway's ejected state at scrape time (edge_gateway_ejected). */
  trackGatewayHealth(health: { states(): { gateway: string; ejected: boolean }[] }): void
}

export function createPrometheusMetrics(options: { defaultMetrics?: boolean } = {}): PrometheusMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  // The series updated on every request are plain numbers (series-metrics.ts).
  const requests = new Counters({
    name: 'edge_requests_total',
    help: 'Client requests by matched route ("none" when no route matched) and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  })
  const requestSeconds = new Histograms(
    { name: 'edge_request_duration_seconds', help: 'Time from request to response head, as seen by the edge', labelNames: [], registers: [registry] },
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ).at()
  const upstreamSeconds = new Histograms(
    {
      name: 'edge_upstream_duration_seconds',
      help: 'Time to the response head of one attempt to a gateway, by gateway and status (0 = no response)',
      labelNames: ['gateway', 'status'],
      registers: [registry],
    },
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  )
  const reloads = new Counter({
    name: 'edge_route_table_loads_total',
    help: 'Route-table loads, accepted or refused (a refused table leaves the last good one serving)',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const revision = new Gauge({
    name: 'edge_route_table_info',
    help: 'The revision of the route table being served (value 1)',
    labelNames: ['revision'] as const,
    registers: [registry],
  })
  const sourceReads = new Counter({
    name: 'edge_route_table_source_reads_total',
    help: 'Reads of each route-table source by outcome (table, unchanged, missing, refused, error)',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  })
  const gatewayRequests = new Counters({
    name: 'edge_gateway_requests_total',
    help: 'Attempts sent to each gateway, retries and failovers included',
    labelNames: ['gateway'],
    registers: [registry],
  })
  const gatewayFailures = new Counter({
    name: 'edge_gateway_failures_total',
    help: 'Attempts to each gateway that got no response, by failure (connect, timeout, failed)',
    labelNames: ['gateway', 'failure'] as const,
    registers: [registry],
  })
  const ejections = new Counter({
    name: 'edge_gateway_ejections_total',
    help: 'Times each gateway was ejected for a cool-down after a failure',
    labelNames: ['gateway'] as const,
    registers: [registry],
  })
  const failovers = new Counter({
    name: 'edge_gateway_failovers_total',
    help: 'Requests moved from a gateway that gave no response to another gateway of the route',
    labelNames: ['from', 'to'] as const,
    registers: [registry],
  })
  let health: { states(): { gateway: string; ejected: boolean }[] } | null = null
  new Gauge({
    name: 'edge_gateway_ejected',
    help: 'Whether each gateway is ejected (1, in its cool-down) or available (0); gateways seen since start',
    labelNames: ['gateway'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const { gateway, ejected } of health?.states() ?? []) this.set({ gateway }, ejected ? 1 : 0)
    },
  })
  // Per-request series found once per (name, status) and kept.
  const requestsBy = children((route, status) => requests.at(route, String(status)))
  const gatewayRequestsBy = children((gateway) => gatewayRequests.at(gateway))
  const upstreamSecondsBy = children((gateway, status) => upstreamSeconds.at(gateway, String(status)))
  return {
    registry,
    trackGatewayHealth(tracked) {
      health = tracked
    },
    gatewayFailure(gateway, failure, ejected) {
      gatewayFailures.inc({ gateway, failure })
      if (ejected) ejections.inc({ gateway })
    },
    failover(from, to) {
      failovers.inc({ from, to })
    },
    sourceRead(source, outcome) {
      sourceReads.inc({ source, outcome })
    },
    request(routeId, status, seconds) {
      requestsBy(routeId ?? 'none', status).inc()
      requestSeconds.observe(seconds)
    },
    upstream(gateway, status, seconds) {
      gatewayRequestsBy(gateway, 0).inc()
      upstreamSecondsBy(gateway, status).observe(seconds)
    },
    tableLoad(accepted, rev) {
      reloads.inc({ result: accepted ? 'accepted' : 'refused' })
      if (accepted && rev !== null) {
        revision.reset()
        revision.set({ revision: rev }, 1)
      }
    },
  }
}

/** A memo of label children by (name, status), without building a key string per call. */
function children<Child>(make: (name: string, status: number) => Child): (name: string, status: number) => Child {
  const byName = new Map<string, Map<number, Child>>()
  return (name, status) => {
    let byStatus = byName.get(name)
    if (byStatus === undefined) byName.set(name, (byStatus = new Map()))
    let child = byStatus.get(status)
    if (child === undefined) byStatus.set(status, (child = make(name, status)))
    return child
  }
}
