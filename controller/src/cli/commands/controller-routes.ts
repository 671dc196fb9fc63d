// The L7 half of `edge-ingress controller`: discovers which Gateway API resources the cluster
// serves, asks the shared informer factory for the route resources, builds the stores named by
// --publish and the route module.
import type { KubeConfig } from '@kubernetes/client-node'
import { S3RouteTableStore } from '../../adapters/aws/s3-route-table-store'
import { FileRouteTableStore } from '../../adapters/fs/file-route-table-store'
import { RouteTableEndpoint } from '../../adapters/http/route-table-endpoint'
import { edgeIngressResources, listable } from '../../adapters/kubernetes/edge-ingress-discovery'
import { KubeGatewayApiDiscovery } from '../../adapters/kubernetes/gateway-api-discovery'
import { KubeRouteStatusWriter } from '../../adapters/kubernetes/route-status'
import type { Logger } from '../../observability/logger'
import type { RouteMetrics } from '../../observability/metrics'
import type { ObjectInformer } from '../../ports/kubernetes'
import type { ObjectMeta } from '../../ports/kubernetes-objects'
import type { RouteTableStore } from '../../ports/route-table-store'
import type { EventRecorder } from '../../reconcile/event-recorder'
import { RouteTableModule, type KubeObject } from '../../routes/controller/module'
import { parsePublishTarget } from '../../routes/controller/publish-targets'
import { ROUTE_RESOURCES, servedRouteResources, type RouteResourceName } from '../../routes/controller/resources'
import { parsePublicAddress } from '../../routes/status/public-address'

export interface RouteWiringOptions {
  cluster: string
  kubeConfig: KubeConfig
  informer: <T extends { metadata: ObjectMeta }>(path: string) => ObjectInformer<T>
  events: EventRecorder
  publish: string[]
  routeTableAddress: { host: string; port: number }
  publicAddress?: string
  batchWindowMs: number
  resyncPeriodMs: number
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
  const publicAddress = options.publicAddress ? parsePublicAddress(options.publicAddress) : null
  if (!publicAddress) logger.warn('no --public-address: Ingress status and Gateway addresses are left unset')

  const discovery = new KubeGatewayApiDiscovery(options.kubeConfig)
  const served = await discovery.servedResources()
  if (served.size === 0) logger.warn('the Gateway API (gateway.networking.k8s.io/v1) is not served: only Ingresses are routed; restart the controller after installing its CRDs')
  const edgeIngress = await edgeIngressResources(options.kubeConfig)
  if (edgeIngress.forbidden.length > 0) logger.warn(`not allowed to list ${edgeIngress.forbidden.join(', ')}.edge-ingress.io (RBAC): routes naming EdgePolicies answer 500 (PolicyNotFound)`)
  else if (!edgeIngress.readable.has('edgepolicies')) logger.info('the EdgePolicy CRD (infra/crds/) is not installed: routes naming EdgePolicies answer 500 (PolicyNotFound)')
  const secrets = options.apiKeySecrets === true && (await listable(options.kubeConfig, ROUTE_RESOURCES.apiKeySecrets.path))
  if (options.apiKeySecrets && !secrets) logger.warn('--api-key-secrets: not allowed to list Secrets (RBAC): EdgePolicies with apiKey.secretRef answer 500 (PolicyNotFound)')
  const informers: Partial<Record<RouteResourceName, ObjectInformer<KubeObject>>> = {}
  for (const name of servedRouteResources(served, { edgeIngressApi: edgeIngress.readable, secrets })) informers[name] = options.informer<KubeObject>(ROUTE_RESOURCES[name].path)

  const replicaStores: RouteTableStore[] = []
  const leaderStores: RouteTableStore[] = []
  const closers: (() => Promise<void> | void)[] = []
  let endpoint: RouteTableEndpoint | null = null
  try {
    for (const target of targets) {
      if (target.kind === 'http') {
        if (endpoint) continue
        endpoint = await RouteTableEndpoint.start(options.routeTableAddress.host, options.routeTableAddress.port)
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
    informers,
    replicaStores,
    leaderStores,
    statusWriter: new KubeRouteStatusWriter(options.kubeConfig),
    discovery,
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
