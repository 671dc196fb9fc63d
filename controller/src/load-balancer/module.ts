// The L4 controller as a module of the Manager: Service and Node events enqueue Service
// keys; while leading, workers reconcile them; every resync period the inventory is
// rediscovered and every key (Services and orphan candidates) is enqueued again. stop() is
// prompt: Kubernetes writes are fenced and AWS calls in flight (with their retries) aborted,
// so the reconciles in progress end at once instead of finishing (ADR 0503).
import type { SubnetApi } from '../ports/ec2'
import type { LoadBalancingApi } from '../ports/elbv2'
import type { ObjectInformer, ServiceWriter } from '../ports/kubernetes'
import { objectKey, splitKey, type NodeObject, type ServiceObject } from '../ports/kubernetes-objects'
import type { Logger } from '../observability/logger'
import type { Metrics } from '../observability/metrics'
import { ControllerLoop } from '../reconcile/controller-loop'
import { errorMessage } from '../reconcile/errors'
import type { EventRecorder } from '../reconcile/event-recorder'
import type { ControllerModule } from '../reconcile/manager'
import { WorkQueue } from '../reconcile/work-queue'
import { ServiceFeedback } from './feedback'
import { Inventory } from './inventory'
import { nodeTargetSignature } from './node-targets'
import { disposition, hasFinalizer, serviceSignature, type SelectionOptions } from './selection'
import { createServiceReconciler } from './service-reconciler'
import { SubnetResolver } from './subnets'
import { WriteFence } from './write-fence'

export interface LoadBalancerModuleOptions {
  cluster: string
  selection: SelectionOptions
  dryRun: boolean
  workers: number
  resyncPeriodMs: number
  services: ObjectInformer<ServiceObject>
  nodes: ObjectInformer<NodeObject>
  writer: ServiceWriter
  events: EventRecorder
  elbv2: LoadBalancingApi
  ec2: SubnetApi
  logger: Logger
  metrics: Metrics
  /** Aborts the AWS calls in progress and their retries (createAwsAdapters().abortInFlight). */
  abortAwsCalls?: (reason: string) => void
}

const NAME = 'load-balancer'

export class LoadBalancerModule implements ControllerModule {
  readonly name = NAME
  readonly inventory: Inventory
  private queue: WorkQueue<string> | null = null
  private loop: ControllerLoop | null = null
  private resyncTimer: NodeJS.Timeout | null = null
  private readonly serviceSignatures = new Map<string, string>()
  private readonly nodeSignatures = new Map<string, string>()
  private readonly reconcile: (key: string) => Promise<void>
  private readonly fence = new WriteFence()

  constructor(private readonly options: LoadBalancerModuleOptions) {
    this.inventory = new Inventory(options.elbv2, options.cluster)
    const writer = this.fence.writer(options.writer)
    this.reconcile = createServiceReconciler({
      cluster: options.cluster,
      selection: options.selection,
      dryRun: options.dryRun,
      services: options.services,
      nodes: options.nodes,
      writer,
      feedback: new ServiceFeedback(writer, options.events, options.dryRun, this.fence),
      api: options.elbv2,
      subnets: new SubnetResolver(options.ec2, options.cluster),
      inventory: this.inventory,
      logger: options.logger.child({ controller: NAME }),
      onOrphanDeleted: () => options.metrics.loadBalancers.orphansDeleted.inc(),
    })
    options.services.onEvent((event, service) => this.onService(event, service))
    options.nodes.onEvent((event, node) => this.onNode(event, node))
  }

  async start(): Promise<void> {
    const { metrics, workers, resyncPeriodMs } = this.options
    this.queue = new WorkQueue<string>({
      backoff: { baseMs: 1_000, maxMs: 5 * 60_000 },
      onDepthChange: (depth) => metrics.controller.queueDepth.set({ controller: NAME }, depth),
    })
    this.fence.allow()
    const reconcile = (key: string) => this.reconcile(key).finally(() => this.countBalancers())
    this.loop = new ControllerLoop({ name: NAME, workers, queue: this.queue, reconcile, logger: this.options.logger, metrics: metrics.controller })
    await this.resync()
    this.loop.start()
    this.resyncTimer = setInterval(() => void this.resync(), resyncPeriodMs)
    this.resyncTimer.unref()
  }

  /** True while started and no Service is queued, being reconciled or waiting for a retry. */
  get idle(): boolean {
    return this.queue?.idle ?? false
  }

  async stop(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer)
    this.resyncTimer = null
    this.fence.refuse()
    // Workers take no new key; the ones in progress end at their next AWS call or write.
    const stopped = this.loop?.stop()
    this.options.abortAwsCalls?.('stopped leading (lease lost or shutting down)')
    await stopped
    this.loop = null
    this.queue = null
  }

  /**
   * Rediscover AWS, then enqueue every Service of ours and every key that has resources
   * (orphan candidates). Runs every resync period; public for benchmarks and tests.
   */
  async resync(): Promise<void> {
    try {
      await this.inventory.refresh()
    } catch (error) {
      // Reconciles retry the discovery (the inventory stays stale) with their own backoff.
      this.options.logger.warn({ err: errorMessage(error) }, 'AWS discovery failed')
    }
    const keys = new Set(this.inventory.keys())
    for (const service of this.options.services.list()) if (this.concerns(service)) keys.add(objectKey(service.metadata))
    for (const key of keys) this.queue?.add(key)
    this.countBalancers()
  }

  /** The balancers gauge, from the inventory: after a resync and after every reconcile. */
  private countBalancers(): void {
    const counts = { managed: 0, orphaned: 0 }
    for (const key of this.inventory.keys()) {
      const { namespace, name } = splitKey(key)
      counts[this.options.services.get(namespace, name) ? 'managed' : 'orphaned'] += this.inventory.get(key).loadBalancers.length
    }
    for (const [state, n] of Object.entries(counts)) this.options.metrics.loadBalancers.managed.set({ state }, n)
  }

  private concerns(service: ServiceObject): boolean {
    return disposition(service, this.options.selection) !== 'ignore' || hasFinalizer(service)
  }

  private onService(event: string, service: ServiceObject): void {
    const key = objectKey(service.metadata)
    if (event === 'delete') {
      this.serviceSignatures.delete(key)
      this.queue?.add(key)
      return
    }
    const signature = serviceSignature(service)
    if (this.serviceSignatures.get(key) === signature) return
    this.serviceSignatures.set(key, signature)
    if (this.concerns(service)) this.queue?.add(key)
  }

  private onNode(event: string, node: NodeObject): void {
    const name = node.metadata.name
    const signature = event === 'delete' ? null : nodeTargetSignature(node)
    if (signature !== null && this.nodeSignatures.get(name) === signature) return
    if (signature === null) this.nodeSignatures.delete(name)
    else this.nodeSignatures.set(name, signature)
    const affected = this.options.services.list().filter((service) => disposition(service, this.options.selection) === 'manage')
    for (const service of affected) this.queue?.add(objectKey(service.metadata))
    this.options.logger.debug({ node: name, event, services: affected.length }, 'node change may move targets')
  }
}
