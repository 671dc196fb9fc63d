// EdgeMetrics on prom-client, served by the Node runtime's admin port (never the public one).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { EdgeMetrics } from './metrics'

export interface PrometheusMetrics extends EdgeMetrics {
  registry: Registry
}

export function createPrometheusMetrics(options: { defaultMetrics?: boolean } = {}): PrometheusMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  const requests = new Counter({
    name: 'edge_requests_total',
    help: 'Client requests by matched route ("none" when no route matched) and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  })
  const requestSeconds = new Histogram({
    name: 'edge_request_duration_seconds',
    help: 'Time from request to response head, as seen by the edge',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const upstreamSeconds = new Histogram({
    name: 'edge_upstream_duration_seconds',
    help: 'Time to the response head of one attempt to a gateway, by gateway and status (0 = no response)',
    labelNames: ['gateway', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
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
  return {
    registry,
    request(routeId, status, seconds) {
      requests.inc({ route: routeId ?? 'none', status: String(status) })
      requestSeconds.observe(seconds)
    },
    upstream(gateway, status, seconds) {
      upstreamSeconds.observe({ gateway, status: String(status) }, seconds)
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
