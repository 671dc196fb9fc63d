// `edge-ingress controller`: wires the adapters, the Manager and its modules: the L4
// load-balancer reconciler and the L7 route module (./controller-routes.ts), both by default,
// sharing the informers through `informer()`.
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { createAwsAdapters } from '../../adapters/aws/clients'
import { parseRateLimits } from '../../adapters/aws/rate-limiter'
import { KubeEventSink } from '../../adapters/kubernetes/events'
import { KubeInformer } from '../../adapters/kubernetes/informer'
import { loadKubeConfig } from '../../adapters/kubernetes/kubeconfig'
import { KubeLeaseStore } from '../../adapters/kubernetes/leases'
import { KubeServiceWriter } from '../../adapters/kubernetes/services'
import { LoadBalancerModule } from '../../load-balancer/module'
import { wireRouteModule } from './controller-routes'
import type { ObjectInformer } from '../../ports/kubernetes'
import type { NodeObject, ObjectMeta, ServiceObject } from '../../ports/kubernetes-objects'
import { startHealthServer } from '../../observability/health-server'
import { createLogger } from '../../observability/logger'
import { createMetrics } from '../../observability/metrics'
import { EventRecorder } from '../../reconcile/event-recorder'
import { InformerSet } from '../../reconcile/informer-set'
import { leaseTimings } from '../../reconcile/lease-timings'
import { Manager, type ControllerModule } from '../../reconcile/manager'

export interface ControllerOptions {
  kubeconfig?: string
  clusterName?: string
  region?: string
  awsEndpoint?: string
  dryRun: boolean
  defaultLoadBalancerClass: boolean
  workers: number
  resyncPeriod: string
  metricsAddress: string
  leaderElect: boolean
  leaderElectionNamespace?: string
  leaderElectionId: string
  leaseDuration: string
  identity?: string
  awsRateLimit?: string
  /** L4: NLBs for LoadBalancer Services (--no-load-balancers turns it off). */
  loadBalancers: boolean
  /** L7: route tables (--no-routes turns it off). */
  routes: boolean
  publish: string[]
  routeTableAddress: string
  routeTableTokenFile?: string
  publicAddress?: string
  routeBatchWindow: string
  apiDiscoveryInterval: string
  allowTestAddressOverride: boolean
  apiKeySecrets: boolean
}

export async function run(options: ControllerOptions): Promise<void> {
  const cluster = options.clusterName ?? process.env.CLUSTER_NAME
  if (!cluster || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(cluster))
    throw new Error('--cluster-name is required (letters, digits, . _ -; at most 63): it goes into the ownership tags of every AWS resource')
  if (!options.loadBalancers && !options.routes) throw new Error('--no-load-balancers and --no-routes together leave nothing to run')
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  if (!region && options.loadBalancers) throw new Error('--region (or $AWS_REGION) is required')
  const awsEndpoint = options.awsEndpoint ?? process.env.AWS_ENDPOINT_URL
  const resyncPeriodMs = parseDuration(options.resyncPeriod, '--resync-period')
  const leaseDurationMs = parseDuration(options.leaseDuration, '--lease-duration')
  const { host, port } = parseAddress(options.metricsAddress, '--metrics-address')
  const routeTableAddress = parseAddress(options.routeTableAddress, '--route-table-address')
  const routeBatchWindowMs = parseDuration(options.routeBatchWindow, '--route-batch-window')
  const discoveryIntervalMs = parseDuration(options.apiDiscoveryInterval, '--api-discovery-interval')
  const identity = options.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`

  const logger = createLogger()
  const metrics = createMetrics()
  const kubeConfig = loadKubeConfig(options.kubeconfig)
  // Shared by both halves (one informer per collection); the route half adds discovered ones later.
  const informers = new InformerSet()
  const informer = <T extends { metadata: ObjectMeta }>(path: string): ObjectInformer<T> =>
    (informers.get(path) ?? informers.add(new KubeInformer(kubeConfig, path, logger))) as unknown as ObjectInformer<T>
  const aws = options.loadBalancers
    ? createAwsAdapters({
        region: region!,
        endpoint: awsEndpoint,
        ...(options.awsRateLimit ? { rateLimits: parseRateLimits(options.awsRateLimit) } : {}),
        metrics: metrics.aws,
        logger,
      })
    : null
  const events = new EventRecorder(new KubeEventSink(kubeConfig, identity), logger)

  const modules: ControllerModule[] = []
  if (aws) {
    modules.push(new LoadBalancerModule({
      cluster,
      selection: { defaultClass: options.defaultLoadBalancerClass },
      dryRun: options.dryRun,
      workers: options.workers,
      resyncPeriodMs,
      services: informer<ServiceObject>('/api/v1/services'),
      nodes: informer<NodeObject>('/api/v1/nodes'),
      writer: new KubeServiceWriter(kubeConfig),
      events,
      elbv2: aws.elbv2,
      ec2: aws.ec2,
      abortAwsCalls: aws.abortInFlight,
      logger,
      metrics,
    }))
  }
  const routes = options.routes
    ? await wireRouteModule({
        cluster,
        kubeConfig,
        informer,
        events,
        publish: options.publish,
        routeTableAddress,
        routeTableTokenFile: options.routeTableTokenFile,
        publicAddress: options.publicAddress,
        batchWindowMs: routeBatchWindowMs,
        resyncPeriodMs,
        discoveryIntervalMs,
        allowTestAddressOverride: options.allowTestAddressOverride,
        apiKeySecrets: options.apiKeySecrets,
        aws: { region, endpoint: awsEndpoint },
        logger,
        metrics: metrics.routes,
      })
    : null
  if (routes) modules.push(routes.module)

  const manager = new Manager({
    informers,
    modules,
    leaderElection: options.leaderElect
      ? {
          store: new KubeLeaseStore(kubeConfig, options.leaderElectionNamespace ?? process.env.POD_NAMESPACE ?? 'default', options.leaderElectionId),
          identity,
          ...leaseTimings(leaseDurationMs),
        }
      : null,
    logger,
    metrics: metrics.leader,
    // As controller-runtime: a replica that cannot stop its work in time exits, and its pod restarts (ADR 0503).
    onStopOverdue: () => {
      logger.fatal('exiting: work still in progress after losing the lease')
      process.exit(1)
    },
  })
  const health = await startHealthServer({
    host,
    port,
    registry: metrics.registry,
    liveness: { leaderElection: () => manager.liveness() },
    readiness: { caches: () => manager.readiness() },
  })
  logger.info(
    { cluster, region, identity, dryRun: options.dryRun, metrics: health.url, defaultClass: options.defaultLoadBalancerClass, modules: modules.map((m) => m.name), routeTable: routes?.endpoint?.name ?? null },
    'controller starting',
  )

  const stop = new AbortController()
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping')
    stop.abort()
  }
  process.once('SIGTERM', () => onSignal('SIGTERM'))
  process.once('SIGINT', () => onSignal('SIGINT'))
  try {
    await manager.run(stop.signal)
  } finally {
    await health.close()
    await routes?.close()
    aws?.destroy()
    logger.info('controller stopped')
  }
}

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) throw new Error(`${flag}: "${text}" is not a duration (e.g. 500ms, 90s, 5m, 1h)`)
  const ms = Number(match[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h']
  if (ms <= 0) throw new Error(`${flag}: must be above zero`)
  return ms
}

export function parseAddress(text: string, flag = '--metrics-address'): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim())
  const port = Number(match?.[3])
  if (!match || port > 65535) throw new Error(`${flag}: "${text}" is not host:port`)
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port }
}
