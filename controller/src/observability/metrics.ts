// Prometheus metrics of the controller (prom-client), grouped by the part that updates
// them so each part receives only its own.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'edge_ingress_' })
  const registers = [registry]
  const controller = {
    reconciles: new Counter({
      name: 'edge_ingress_reconciles_total',
      help: 'Reconciles by controller and result (success, requeue, error, permanent-error, aborted)',
      labelNames: ['controller', 'result'] as const,
      registers,
    }),
    reconcileSeconds: new Histogram({
      name: 'edge_ingress_reconcile_duration_seconds',
      help: 'Time to reconcile one key',
      labelNames: ['controller'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    queueDepth: new Gauge({ name: 'edge_ingress_workqueue_depth', help: 'Keys waiting in the work queue', labelNames: ['controller'] as const, registers }),
  }
  const aws = {
    calls: new Counter({
      name: 'edge_ingress_aws_api_calls_total',
      help: 'AWS API calls (every attempt) by service, action and outcome (success, not-found, throttled, error)',
      labelNames: ['service', 'action', 'outcome'] as const,
      registers,
    }),
    callSeconds: new Histogram({
      name: 'edge_ingress_aws_api_call_duration_seconds',
      help: 'AWS API call latency, including the wait for the client-side rate limit',
      labelNames: ['service', 'action'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  }
  const leader = {
    isLeader: new Gauge({ name: 'edge_ingress_leader', help: '1 while this replica holds the leader lease', registers }),
    transitions: new Counter({ name: 'edge_ingress_leader_transitions_total', help: 'Times this replica gained or lost leadership', registers }),
  }
  const loadBalancers = {
    managed: new Gauge({ name: 'edge_ingress_load_balancers', help: 'Load balancers tagged for this cluster, by state of their Service', labelNames: ['state'] as const, registers }),
    orphansDeleted: new Counter({ name: 'edge_ingress_orphans_deleted_total', help: 'Load balancer resource sets deleted by the orphan sweep', registers }),
  }
  const routes = {
    compiles: new Counter({ name: 'edge_ingress_route_compiles_total', help: 'Route-table compiles from the informer caches', registers }),
    compileSeconds: new Histogram({
      name: 'edge_ingress_route_compile_duration_seconds',
      help: 'Time to compile the route table from the caches',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    routes: new Gauge({ name: 'edge_ingress_route_table_routes', help: 'Routes in the latest compiled table', registers }),
    publishes: new Counter({
      name: 'edge_ingress_route_table_publishes_total',
      help: 'Route-table publishes by store and result (success, error)',
      labelNames: ['store', 'result'] as const,
      registers,
    }),
    publishSeconds: new Histogram({
      name: 'edge_ingress_route_table_publish_duration_seconds',
      help: 'Time to publish one table revision to one store',
      labelNames: ['store'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    statusWrites: new Counter({
      name: 'edge_ingress_route_status_writes_total',
      help: 'Status writes of Ingress, Gateway, GatewayClass and HTTPRoute objects by result (written, conflict, error)',
      labelNames: ['kind', 'result'] as const,
      registers,
    }),
  }
  return { registry, controller, aws, leader, loadBalancers, routes }
}

export type Metrics = ReturnType<typeof createMetrics>
export type ControllerMetrics = Metrics['controller']
export type AwsMetrics = Metrics['aws']
export type LeaderMetrics = Metrics['leader']
export type RouteMetrics = Metrics['routes']
