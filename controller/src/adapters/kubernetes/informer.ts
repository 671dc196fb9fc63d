// ObjectInformer on @kubernetes/client-node's ListWatch, generic over the resource (any
// collection path, core or not). Objects stay in their JSON shape (the list is read raw,
// as the watch is). On a watch error the informer is restarted with backoff: ListWatch
// does not restart itself, and it does not re-fire `add` for objects it already knew,
// which is why the controllers also resync periodically.
import { KubeConfig, ListWatch, RequestContext, HttpMethod, Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node'
import { fetch } from 'undici'
import type { InformerEvent, ObjectInformer } from '../../ports/kubernetes'
import type { ObjectMeta } from '../../ports/kubernetes-objects'
import type { Logger } from '../../observability/logger'
import { backoffDelay } from '../../reconcile/backoff'
import { errorMessage } from '../../reconcile/errors'

export class KubeInformer<T extends { metadata: ObjectMeta }> implements ObjectInformer<T> {
  private readonly watch: ListWatch<KubernetesObject>
  private synced = false
  private listed = false
  private stopped = true
  private failures = 0
  private restartTimer: NodeJS.Timeout | null = null

  /** `resource` is a collection path, e.g. /api/v1/services or /apis/gateway.networking.k8s.io/v1/httproutes. */
  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly resource: string,
    private readonly logger: Logger,
  ) {
    this.watch = new ListWatch<KubernetesObject>(resource, new Watch(kubeConfig), () => this.list_(), false)
    this.watch.on('error', (error: unknown) => this.restartLater(error))
    this.watch.on('connect', () => (this.failures = 0))
  }

  async start(): Promise<void> {
    this.stopped = false
    await this.begin()
  }

  /** ListWatch.start resolves once the list is in the cache and the watch is open, or after an error callback. */
  private async begin(): Promise<void> {
    this.listed = false
    await this.watch.start()
    if (this.listed) this.synced = true
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    await this.watch.stop()
  }

  hasSynced(): boolean {
    return this.synced
  }

  list(): readonly T[] {
    return this.watch.list() as unknown as readonly T[]
  }

  get(namespace: string, name: string): T | undefined {
    return this.watch.get(name, namespace || undefined) as unknown as T | undefined
  }

  onEvent(handler: (event: InformerEvent, object: T) => void): void {
    for (const event of ['add', 'update', 'delete'] as const) this.watch.on(event, (object) => handler(event, object as unknown as T))
  }

  private restartLater(error: unknown): void {
    if (this.stopped) return
    const delayMs = backoffDelay(this.failures++, { baseMs: 500, maxMs: 30_000 })
    this.logger.warn({ resource: this.resource, err: errorMessage(error), restartInMs: delayMs }, 'watch failed; restarting')
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) this.begin().catch((e: unknown) => this.restartLater(e))
    }, delayMs)
  }

  private async list_(): Promise<KubernetesListObject<KubernetesObject>> {
    const cluster = this.kubeConfig.getCurrentCluster()
    if (!cluster) throw new Error('no current cluster in the kubeconfig')
    const ctx = new RequestContext(`${cluster.server}${this.resource}`, HttpMethod.GET)
    await this.kubeConfig.applySecurityAuthentication(ctx)
    const response = await fetch(ctx.getUrl(), { headers: ctx.getHeaders(), dispatcher: ctx.getDispatcher() as never })
    if (!response.ok) throw Object.assign(new Error(`list ${this.resource}: HTTP ${response.status}`), { statusCode: response.status })
    const list = (await response.json()) as KubernetesListObject<KubernetesObject>
    this.listed = true
    return list
  }
}
