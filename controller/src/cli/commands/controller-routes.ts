// The L7 half of `edge-ingress controller`: builds the stores named by --publish and the route
// module, which discovers what the cluster serves (at start, retried while the API server is
// unreachable, and every --api-discovery-interval) and asks the shared informer factory for
// the route resources. Nothing here talks to the API server, so an unreachable one never
// stops the process from starting.
import type { KubeConfig } from '@kubernetes/client-node'
import { S3RouteTableStore } from '../../adapters/aws/s3-route-table-store'
import { FileRouteTableStore } from '../../adapters/fs/file-route-table-store'
import { TokenFile } from '../../adapters/fs/token-file'
import { RouteTableEndpoint } from '../../adapters/http/route-table-endpoint'
import { KubeGatewayApiDiscovery } from '../../adapters/kubernetes/gateway-api-discovery'
import { KubeRouteStatusWriter } from '../../adapters/kubernetes/route-status'
import { KubeServedResourcesProbe } from '../../adapters/kubernetes/served-resources-probe'
import type { Logger } from '../../observability/logger'
import type { RouteMetrics } from '../../observability/metrics'
import type { ObjectInformer } from '../../ports/kubernetes'
import type { ObjectMeta } from '../../ports/kubernetes-objects'
import type { RouteTableStore } from '../../ports/route-table-store'
import type { EventRecorder } from '../../reconcile/event-recorder'
import { RouteTableModule, type KubeObject } from '../../routes/controller/module'
import { parsePublishTarget } from '../../routes/controller/publish-targets'
import { ROUTE_RESOURCES } from '../../routes/controller/resources'
import { parsePublicAddress } from '../../routes/status/public-address'

export interface RouteWiringOptions {
  cluster: string
  kubeConfig: KubeConfig
  informer: <T extends { metadata: ObjectMeta }>(path: string) => ObjectInformer<T>
  events: EventRecorder
  publish: string[]
  routeTableAddress: { host: string; port: number }
  /** Bearer tokens the endpoint requires, one per line (--route-table-token-file). */
  routeTableTokenFile?: string
  publicAddress?: string
  batchWindowMs: number
  resyncPeriodMs: number
  /** How often to ask the API server again which resources it serves (CRDs installed later). */
  discoveryIntervalMs: number
  /** Read Secrets labelled edge-ingress.io/api-keys=true for EdgePolicy apiKey.secretRef (needs RBAC to list Secrets). */
  apiKeySecrets?: boolean
  allowTestAddressOverride: boolean
  aws: { region?: string; endpoint?: string }
  logger: Logger
  metrics: RouteMetrics
}

export interface RouteWiring {
  module: RouteTableModule
  endpoint: RouteTableEndpoint | null
  close(): Promise<void>
}

export async function wireRouteModule(options: RouteWiringOptions): Promise<RouteWiring> {
  const { logger, cluster } = options
  const targets = options.publish.map(parsePublishTarget)
  if (options.routeTableTokenFile && !targets.some((t) => t.kind === 'http')) throw new Error('--route-table-token-file protects the route-table endpoint: it needs --publish http')
  const publicAddress = options.publicAddress ? parsePublicAddress(options.publicAddress) : null
  if (!publicAddress) logger.warn('no --public-address: Ingress status and Gateway addresses are left unset')

  const apiKeySecrets = options.apiKeySecrets === true

  const replicaStores: RouteTableStore[] = []
  const leaderStores: RouteTableStore[] = []
  const closers: (() => Promise<void> | void)[] = []
  let endpoint: RouteTableEndpoint | null = null
  try {
    for (const target of targets) {
      if (target.kind === 'http') {
        if (endpoint) continue
        const tokens = options.routeTableTokenFile
          ? await TokenFile.open(options.routeTableTokenFile, '--route-table-token-file', { onStale: (error) => logger.warn({ event: 'token-file-unreadable', error }, 'cannot read the route-table token file again') })
          : null
        endpoint = await RouteTableEndpoint.start(options.routeTableAddress.host, options.routeTableAddress.port, { ...(tokens ? { tokens: () => tokens.tokens() } : {}), logger })
        replicaStores.push(endpoint)
        const started = endpoint
        closers.push(() => started.close())
      } else if (target.kind === 'file') {
        leaderStores.push(new FileRouteTableStore(target.path))
      } else {
        if (!options.aws.region) throw new Error(`--publish s3://${target.bucket}: --region (or $AWS_REGION) is required`)
        const store = new S3RouteTableStore({
          bucket: target.bucket,
          prefix: target.prefix,
          cluster,
          client: { region: options.aws.region, ...(options.aws.endpoint ? { endpoint: options.aws.endpoint, forcePathStyle: true } : {}) },
          logger,
        })
        leaderStores.push(store)
        closers.push(() => store.destroy())
      }
    }
  } catch (error) {
    for (const close of closers) await close()
    throw error
  }
  logger.info({ stores: [...replicaStores, ...leaderStores].map((s) => s.name), publicAddress: options.publicAddress ?? null }, 'route publishing')

  const module = new RouteTableModule({
    cluster,
    informers: {},
    resourceDiscovery: {
      probe: new KubeServedResourcesProbe(options.kubeConfig, apiKeySecrets ? ROUTE_RESOURCES.apiKeySecrets.path : null),
      intervalMs: options.discoveryIntervalMs,
      apiKeySecrets,
      informerFor: (name) => options.informer<KubeObject>(ROUTE_RESOURCES[name].path),
    },
    replicaStores,
    leaderStores,
    statusWriter: new KubeRouteStatusWriter(options.kubeConfig),
    discovery: new KubeGatewayApiDiscovery(options.kubeConfig),
    events: options.events,
    publicAddress,
    batchWindowMs: options.batchWindowMs,
    resyncPeriodMs: options.resyncPeriodMs,
    allowTestAddressOverride: options.allowTestAddressOverride,
    logger,
    metrics: options.metrics,
  })
  return {
    module,
    endpoint,
    async close() {
      for (const close of closers) await close()
    },
  }
}
