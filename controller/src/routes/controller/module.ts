// The L7 half of the controller, a module of the Manager beside the L4 one: any change in the
// caches -> one compile per batch window (pure, from the caches) -> publish when the revision
// changed -> status and Events. Every replica compiles and serves its HTTP endpoint (so edges
// can pull from any replica); the leader alone writes S3/file stores and status. With
// `resourceDiscovery`, the informers follow what the API server serves (resources-tracker.ts):
// a resource that joins later is compiled in once its informer has synced.
import type { Logger } from '../../observability/logger'
import type { RouteMetrics } from '../../observability/metrics'
import type { InformerEvent, ObjectInformer } from '../../ports/kubernetes'
import type { ObjectMeta } from '../../ports/kubernetes-objects'
import type { GatewayApiDiscovery, RouteStatusWriter } from '../../ports/route-status'
import type { RouteTableStore } from '../../ports/route-table-store'
import type { ServedResourcesProbe } from '../../ports/served-resources'
import { Coalescer } from '../../reconcile/coalescer'
import { errorMessage } from '../../reconcile/errors'
import type { EventRecorder } from '../../reconcile/event-recorder'
import type { ControllerModule } from '../../reconcile/manager'
import { compileRoutes } from '../compile'
import type { CompileResult, ObjectRef } from '../results'
import type { PublicAddress } from '../status/public-address'
import { supportedVersionCondition } from '../status/supported-version'
import type { CachedObjects } from '../status/updates'
import type { Condition } from '../results'
import { changeSignature } from './change-signature'
import { Publisher } from './publisher'
import { objectTyper, ROUTE_RESOURCES, type RouteResourceName } from './resources'
import { ResourcesTracker } from './resources-tracker'
import { StatusSync } from './status-sync'
import { withTestAddress } from './test-address-override'

export type KubeObject = { metadata: ObjectMeta; spec?: unknown; status?: unknown }

export interface RouteTableModuleOptions {
  cluster: string
  /** One informer per resource the cluster serves (Gateway API ones may be missing). */
  informers: Partial<Record<RouteResourceName, ObjectInformer<KubeObject>>>
  /** Optional: discover the resources to read, at start and every `intervalMs`, and ask `informerFor` for each. */
  resourceDiscovery?: {
    probe: ServedResourcesProbe
    intervalMs: number
    apiKeySecrets: boolean
    informerFor: (name: RouteResourceName) => ObjectInformer<KubeObject>
  }
  /** Published by every replica: the HTTP endpoint. */
  replicaStores: RouteTableStore[]
  /** Published by the leader only: S3, file. */
  leaderStores: RouteTableStore[]
  statusWriter: RouteStatusWriter
  discovery: Pick<GatewayApiDiscovery, 'bundleVersion'>
  events: EventRecorder
  publicAddress: PublicAddress | null
  batchWindowMs: number
  resyncPeriodMs: number
  allowTestAddressOverride: boolean
  logger: Logger
  metrics: RouteMetrics
}

const NAME = 'routes'
const MAX_RETRY_MS = 30_000

export class RouteTableModule implements ControllerModule {
  readonly name = NAME
  private readonly coalescer: Coalescer
  private readonly publisher: Publisher
  private readonly signatures = new Map<string, string>()
  private readonly typers = new Map<RouteResourceName, (objects: readonly object[]) => unknown[]>()
  private readonly informers: Partial<Record<RouteResourceName, ObjectInformer<KubeObject>>> = {}
  private readonly tracker: ResourcesTracker | null
  private readonly syncPolls = new Set<NodeJS.Timeout>()
  private readonly logger: Logger
  private following = false
  private leading = false
  private status: StatusSync | null = null
  private supportedVersion: Condition | null = null
  private resyncTimer: NodeJS.Timeout | null = null
  private failures = 0
  private latest: CompileResult | null = null
  private readonly compiledListeners = new Set<(result: CompileResult) => void>()

  constructor(private readonly options: RouteTableModuleOptions) {
    this.logger = options.logger.child({ controller: NAME })
    this.coalescer = new Coalescer(() => this.compileAndPublish(), options.batchWindowMs)
    this.publisher = new Publisher(this.logger, {
      published: (store, ok, seconds) => {
        options.metrics.publishes.inc({ store, result: ok ? 'success' : 'error' })
        options.metrics.publishSeconds.observe({ store }, seconds)
      },
    })
    for (const [name, informer] of Object.entries(options.informers) as [RouteResourceName, ObjectInformer<KubeObject> | undefined][]) if (informer) this.addResource(name, informer)
    const discovery = options.resourceDiscovery
    this.tracker = discovery
      ? new ResourcesTracker({
          probe: discovery.probe,
          intervalMs: discovery.intervalMs,
          apiKeySecrets: discovery.apiKeySecrets,
          onServed: (names) => names.forEach((name) => this.addResource(name, discovery.informerFor(name))),
          logger: this.logger,
        })
      : null
  }

  /** Starts the discovery of the resources to read (before the manager awaits the caches). */
  init(): void {
    this.tracker?.start()
  }

  readiness(): string | null {
    return this.tracker && !this.tracker.discovered ? 'discovering the resources the API server serves' : null
  }

  /** Reads one more resource: compiled in once its informer has synced. */
  addResource(name: RouteResourceName, informer: ObjectInformer<KubeObject>): void {
    if (this.informers[name]) return
    this.informers[name] = informer
    this.typers.set(name, objectTyper(ROUTE_RESOURCES[name], name === 'services' && this.options.allowTestAddressOverride ? withTestAddress : undefined))
    informer.onEvent((event, object) => this.onEvent(name, event, object))
    if (informer.hasSynced()) return
    const poll = setInterval(() => {
      if (!informer.hasSynced()) return
      clearInterval(poll)
      this.syncPolls.delete(poll)
      void this.resourceSynced(name)
    }, 100)
    poll.unref()
    this.syncPolls.add(poll)
  }

  private async resourceSynced(name: RouteResourceName): Promise<void> {
    if (name === 'gatewayClasses' && this.leading) await this.refreshSupportedVersion()
    if (this.following) this.coalescer.trigger(0)
  }

  private async refreshSupportedVersion(): Promise<void> {
    this.supportedVersion = supportedVersionCondition(await this.options.discovery.bundleVersion().catch(() => null))
  }

  /** Every replica, once the caches have synced: compile and serve the HTTP endpoint. */
  async follow(): Promise<void> {
    this.following = true
    this.coalescer.trigger(0)
    this.resyncTimer = setInterval(() => this.coalescer.trigger(), this.options.resyncPeriodMs)
    this.resyncTimer.unref()
  }

  /** The leader: also the leader-only stores, status and Events. */
  async start(): Promise<void> {
    await this.refreshSupportedVersion()
    this.status = new StatusSync({
      writer: this.options.statusWriter,
      events: this.options.events,
      cached: () => this.cachedForStatus(),
      identify: (ref) => this.identify(ref),
      statusOptions: () => ({ publicAddress: this.options.publicAddress, supportedVersion: this.supportedVersion }),
      logger: this.logger,
      metrics: { statusWrite: (kind, result) => this.options.metrics.statusWrites.inc({ kind, result }) },
    })
    this.leading = true
    if (this.latest) this.status.offer(this.latest)
    this.coalescer.trigger(0)
  }

  async stop(): Promise<void> {
    this.leading = false
    await this.status?.stop()
    this.status = null
  }

  async close(): Promise<void> {
    this.following = false
    this.tracker?.stop()
    for (const poll of this.syncPolls) clearInterval(poll)
    this.syncPolls.clear()
    if (this.resyncTimer) clearInterval(this.resyncTimer)
    await this.coalescer.stop()
  }

  /** The latest compile (for tests and `routes` tooling); listeners hear of every new one. */
  get lastResult(): CompileResult | null {
    return this.latest
  }

  onCompiled(listener: (result: CompileResult) => void): () => void {
    this.compiledListeners.add(listener)
    return () => this.compiledListeners.delete(listener)
  }

  /** Resolves when the status of the latest compile has been written (tests). */
  async statusIdle(): Promise<void> {
    await this.status?.idle()
  }

  private onEvent(resource: RouteResourceName, event: InformerEvent, object: KubeObject): void {
    const key = `${resource}/${object.metadata.namespace ?? ''}/${object.metadata.name}`
    if (event === 'delete') this.signatures.delete(key)
    else {
      const signature = changeSignature(resource, object)
      if (this.signatures.get(key) === signature) return
      this.signatures.set(key, signature)
    }
    if (this.following) this.coalescer.trigger()
  }

  private snapshot(): unknown[] {
    const objects: unknown[] = []
    for (const [name, typed] of this.typers) {
      const informer = this.informers[name]!
      // A resource that joined later counts once its cache is whole: never compile from half a list.
      if (informer.hasSynced()) objects.push(...typed(informer.list()))
    }
    return objects
  }

  /** Returns when to try again after a failure (ms), else nothing. */
  private async compileAndPublish(): Promise<number | void> {
    const { metrics, cluster } = this.options
    try {
      const started = performance.now()
      const result = await compileRoutes(this.snapshot(), { clusterName: cluster })
      metrics.compiles.inc()
      metrics.compileSeconds.observe((performance.now() - started) / 1000)
      metrics.routes.set(result.table.hosts.reduce((n, h) => n + h.routes.length, 0))
      this.latest = result
      const stores = this.leading ? [...this.options.replicaStores, ...this.options.leaderStores] : this.options.replicaStores
      const failed = await this.publisher.publish(result.table, stores)
      for (const listener of this.compiledListeners) listener(result)
      if (this.leading) this.status?.offer(result)
      this.failures = failed.length === 0 ? 0 : this.failures + 1
    } catch (error) {
      this.failures++
      this.logger.error({ err: errorMessage(error) }, 'route compile failed')
    }
    if (this.failures > 0) return Math.min(MAX_RETRY_MS, 500 * 2 ** Math.min(this.failures - 1, 10))
  }

  private cachedForStatus(): CachedObjects {
    const list = (name: RouteResourceName) => (this.informers[name]?.hasSynced() ? this.informers[name].list() : [])
    return { ingresses: list('ingresses'), gatewayClasses: list('gatewayClasses'), gateways: list('gateways'), httpRoutes: list('httpRoutes') }
  }

  private identify(ref: ObjectRef): { apiVersion: string; uid?: string } | null {
    const name = (Object.keys(ROUTE_RESOURCES) as RouteResourceName[]).find((n) => ROUTE_RESOURCES[n].kind === ref.kind)
    const object = name ? this.informers[name]?.get(ref.namespace, ref.name) : undefined
    if (!name || !object) return null
    return { apiVersion: ROUTE_RESOURCES[name].apiVersion, ...(object.metadata.uid ? { uid: object.metadata.uid } : {}) }
  }
}
