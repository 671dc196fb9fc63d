// The real L7 route module inside the test process: the informers, status writer, discovery,
// Event sink and HTTP endpoint that `edge-ingress controller` wires, against the test
// environment's kube-apiserver. Logs are kept in memory and the metrics are readable.
import { Writable } from 'node:stream'
import { RouteTableEndpoint } from '../../../../controller/src/adapters/http/route-table-endpoint'
import { KubeEventSink } from '../../../../controller/src/adapters/kubernetes/events'
import { edgeIngressResources } from '../../../../controller/src/adapters/kubernetes/edge-ingress-discovery'
import { KubeGatewayApiDiscovery } from '../../../../controller/src/adapters/kubernetes/gateway-api-discovery'
import { KubeInformer } from '../../../../controller/src/adapters/kubernetes/informer'
import { KubeLeaseStore } from '../../../../controller/src/adapters/kubernetes/leases'
import { KubeRouteStatusWriter } from '../../../../controller/src/adapters/kubernetes/route-status'
import { createLogger } from '../../../../controller/src/observability/logger'
import { createMetrics, type Metrics } from '../../../../controller/src/observability/metrics'
import type { ObjectInformer } from '../../../../controller/src/ports/kubernetes'
import type { RouteTableStore } from '../../../../controller/src/ports/route-table-store'
import { EventRecorder } from '../../../../controller/src/reconcile/event-recorder'
import { leaseTimings } from '../../../../controller/src/reconcile/lease-timings'
import { Manager } from '../../../../controller/src/reconcile/manager'
import { RouteTableModule, type KubeObject } from '../../../../controller/src/routes/controller/module'
import { ROUTE_RESOURCES, servedRouteResources, type RouteResourceName } from '../../../../controller/src/routes/controller/resources'
import { parsePublicAddress } from '../../../../controller/src/routes/status/public-address'
import { createKubeConfig } from '../../../env/clients'
import type { EnvironmentInfo } from '../../../env/environment'
import { eventually } from '../../edge/support/eventually'

export interface LogRecord {
  level: number
  msg: string
  [field: string]: unknown
}

export interface RouteControllerOptions {
  cluster: string
  publicAddress?: string
  leaderStores?: RouteTableStore[]
  batchWindowMs?: number
  allowTestAddressOverride?: boolean
  /** Read Secrets labelled edge-ingress.io/api-keys=true (`--api-key-secrets`). */
  apiKeySecrets?: boolean
  /** Several replicas: one Lease, one leader. */
  leaderElection?: { namespace: string; name: string; identity: string; leaseDurationMs: number }
}

export interface RouteController {
  module: RouteTableModule
  manager: Manager
  endpoint: RouteTableEndpoint
  metrics: Metrics
  logs: LogRecord[]
  stop(): Promise<void>
}

export async function startRouteController(env: EnvironmentInfo, options: RouteControllerOptions): Promise<RouteController> {
  const logs: LogRecord[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogRecord)
      done()
    },
  })
  const logger = createLogger({ level: 'debug', destination })
  const metrics = createMetrics({ defaultMetrics: false })
  const kubeConfig = createKubeConfig(env)
  const discovery = new KubeGatewayApiDiscovery(kubeConfig)
  const informers: Partial<Record<RouteResourceName, ObjectInformer<KubeObject>>> = {}
  const served = { edgeIngressApi: (await edgeIngressResources(kubeConfig)).readable, secrets: options.apiKeySecrets }
  for (const name of servedRouteResources(await discovery.servedResources(), served)) informers[name] = new KubeInformer<KubeObject>(kubeConfig, ROUTE_RESOURCES[name].path, logger)
  const endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
  const module = new RouteTableModule({
    cluster: options.cluster,
    informers,
    replicaStores: [endpoint],
    leaderStores: options.leaderStores ?? [],
    statusWriter: new KubeRouteStatusWriter(kubeConfig),
    discovery,
    events: new EventRecorder(new KubeEventSink(kubeConfig, `test-${options.cluster}`), logger),
    publicAddress: options.publicAddress ? parsePublicAddress(options.publicAddress) : null,
    batchWindowMs: options.batchWindowMs ?? 20,
    resyncPeriodMs: 10 * 60_000,
    allowTestAddressOverride: options.allowTestAddressOverride ?? false,
    logger,
    metrics: metrics.routes,
  })
  const election = options.leaderElection
  const manager = new Manager({
    informers: Object.values(informers),
    modules: [module],
    leaderElection: election
      ? { store: new KubeLeaseStore(kubeConfig, election.namespace, election.name), identity: election.identity, ...leaseTimings(election.leaseDurationMs) }
      : null,
    logger,
    metrics: metrics.leader,
  })
  const stop = new AbortController()
  const running = manager.run(stop.signal)
  // Every replica compiles; only a single replica (no election) is sure to lead at once.
  await eventually(async () => (election || manager.isLeader) && module.lastResult !== null, Boolean, 'the route module to compile', 1200, 25)
  return {
    module,
    manager,
    endpoint,
    metrics,
    logs,
    async stop() {
      stop.abort()
      await running
      await endpoint.close()
    },
  }
}

/** A counter's total over all its label sets. */
export async function counterTotal(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)
  return (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value)).reduce((sum, v) => sum + v.value, 0)
}
